import { Readable } from 'node:stream';
import { Invalid } from '../../errors.ts';

/** The request body of a CSV route: a stream from the content-type parser, or nothing if it was sent as something else. */
export function csvBody(body: unknown): Readable {
  if (body instanceof Readable) return body;
  throw new Invalid('Send the CSV file as the request body with Content-Type: text/csv');
}

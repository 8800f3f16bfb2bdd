/**
 * Writing answers on `node:http`: JSON or text, gzipped when the client accepts it.
 */
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  json?: unknown;
  text?: string;
}

/** The wire form of an answer: serialised, gzipped when asked for and worth it. */
export function encode(
  answer: Answer,
  acceptEncoding: string | undefined,
  gzip: boolean,
): {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
} {
  const text = answer.text ?? (answer.json === undefined ? '' : JSON.stringify(answer.json));
  const headers = { ...answer.headers };
  let body = Buffer.from(text);
  if (gzip && body.length > 1024 && /\bgzip\b/i.test(acceptEncoding ?? '')) {
    // The fastest level: loopback bandwidth is free, the fake's time is not.
    body = gzipSync(body, { level: 1 });
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = String(body.length);
  return { status: answer.status, headers, body };
}

export function send(res: ServerResponse, wire: ReturnType<typeof encode>): void {
  res.writeHead(wire.status, wire.headers);
  res.end(wire.body);
}

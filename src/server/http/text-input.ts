import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Invalid } from '../errors.ts';

/**
 * Text Satchel accepts is valid UTF-8 without NUL characters: PostgreSQL cannot store a NUL in text, and
 * invalid bytes would otherwise turn silently into replacement characters. Either is a 400 naming the field,
 * for JSON bodies and query parameters alike (CSV cells are checked by the import, row by row).
 */
export function registerTextInputChecks(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => checkQuery(request.url));
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const text = decodeJsonBody(body as Buffer, parseJson, request);
    parseJson(request, text, (error, value) => {
      if (error) return done(error, undefined);
      const withNul = fieldsWhere(value, (cell) => cell.includes('\u0000'), 'body');
      if (withNul.length > 0) return done(textProblem('contains a NUL character', withNul), undefined);
      return done(null, value);
    });
  });
}

type JsonParser = ReturnType<FastifyInstance['getDefaultJsonParser']>;

function decodeJsonBody(body: Buffer, parseJson: JsonParser, request: FastifyRequest): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    // Only the fields holding the bad bytes show a replacement character once decoded leniently.
    let fields: string[] = [];
    parseJson(request, new TextDecoder().decode(body), (error, value) => {
      if (!error) fields = fieldsWhere(value, (cell) => cell.includes('\uFFFD'), 'body');
    });
    throw textProblem('is not valid UTF-8 text', fields.length > 0 ? fields : ['body']);
  }
}

function checkQuery(url: string): void {
  const start = url.indexOf('?');
  if (start < 0) return;
  const bad: { path: string; message: string }[] = [];
  for (const pair of url.slice(start + 1).split('&')) {
    const [rawName = '', rawValue = ''] = pair.split('=', 2);
    const name = decodeOrUndefined(rawName);
    const value = decodeOrUndefined(rawValue);
    const path = `query.${(name ?? rawName).replaceAll('\u0000', '')}`;
    if (name === undefined || value === undefined) bad.push({ path, message: 'is not valid UTF-8 text' });
    else if (`${name}${value}`.includes('\u0000')) bad.push({ path, message: 'contains a NUL character' });
  }
  if (bad.length > 0) {
    throw new Invalid(
      `Query parameter ${bad.map((problem) => `${problem.path.slice(6)} ${problem.message}`).join('; ')}`,
      bad,
    );
  }
}

function decodeOrUndefined(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

function textProblem(message: string, fields: string[]): Invalid {
  return new Invalid(
    `${fields.join(', ')} ${message}`,
    fields.map((path) => ({ path, message })),
  );
}

/** Paths (`body.items.0.name`) of the strings, keys included, that match. */
function fieldsWhere(value: unknown, matches: (text: string) => boolean, path: string): string[] {
  if (typeof value === 'string') return matches(value) ? [path] : [];
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const itemPath = `${path}.${key}`;
    if (matches(key)) found.push(itemPath);
    found.push(...fieldsWhere(item, matches, itemPath));
  }
  return found;
}

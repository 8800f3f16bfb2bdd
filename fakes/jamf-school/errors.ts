/**
 * Jamf School's answers when something is wrong. Most errors are `{code, message}` with the HTTP status as
 * `code` and a short PascalCase reason as `message` (`{"code":404,"message":"DeviceNotFound"}`); a key
 * without the right for a method gets 405 with the body wrapped in `error`. Bodies the fake could not confirm
 * (401, 429, 5xx, an unknown path) use the `{code, message}` shape with the HTTP reason phrase.
 */
import { STATUS_CODES } from 'node:http';
import type { ApiResult } from '../google/errors.ts';

/** An answer before it is serialised: status, headers, JSON or text, and notes for the request log. */
export type { ApiResult };

export function jamfError(status: number, message?: string, error?: string): ApiResult {
  const text = message ?? STATUS_CODES[status] ?? 'Error';
  return { status, headers: {}, json: { code: status, message: text }, error: error ?? text };
}

export const errors = {
  unauthorized: () => jamfError(401, 'Unauthorized', 'unauthorized'),
  /** What the unofficial client reads as "this key lacks the permission". */
  permissionDenied: (method: string): ApiResult => ({
    status: 405,
    headers: {},
    json: { error: { code: 405, message: `Requested method (${method}) not allowed using this API key` } },
    error: 'permission',
  }),
  deviceNotFound: () => jamfError(404, 'DeviceNotFound'),
  /** An unknown path, and (by default) a request for another protocol version: the client cannot tell them apart. */
  notFound: (error = 'not-found') => jamfError(404, 'Not Found', error),
  internal: (error: unknown) =>
    jamfError(500, 'Internal Server Error', error instanceof Error ? error.message : String(error)),
  tooManyRequests: (retryAfter: number | null): ApiResult => {
    const result = jamfError(429, 'Too Many Requests', 'quota');
    if (retryAfter !== null) result.headers['Retry-After'] = String(retryAfter);
    return result;
  },
};

/** A page a browser would see for a path outside the API. */
export function htmlNotFound(): ApiResult {
  return {
    status: 404,
    headers: { 'Content-Type': 'text/html; charset=UTF-8' },
    text: '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n',
    error: 'not-found',
  };
}

/**
 * Jamf Pro's answers other than data. The Jamf Pro API's error body is
 * `{"httpStatus": 401, "errors": [{"code", "description", "id", "field"}]}` (`id` "0" when not applicable,
 * `field` null when no parameter is at fault); the OAuth token endpoint answers OAuth's own
 * `{"error": "invalid_client"}`.
 */

import type { ApiResult } from '../google/errors.ts';

/** An answer before serialisation: the Google fake's shape (status, headers, JSON or text, log details). */
export type { ApiResult };

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function jamfError(
  status: number,
  code: string,
  description: string,
  field: string | null = null,
  headers: Record<string, string> = {},
): ApiResult {
  return {
    status,
    headers,
    json: { httpStatus: status, errors: [{ code, description, id: '0', field }] },
    error: code,
  };
}

const SERVER_ERRORS: Record<number, { code: string; description: string }> = {
  500: { code: 'INTERNAL_SERVER_ERROR', description: 'Internal Server Error' },
  502: { code: 'BAD_GATEWAY', description: 'Bad Gateway' },
  503: { code: 'SERVICE_UNAVAILABLE', description: 'Service Unavailable' },
  504: { code: 'GATEWAY_TIMEOUT', description: 'Gateway Timeout' },
};

export const errors = {
  invalidToken: () => jamfError(401, 'INVALID_TOKEN', 'Unauthorized'),
  missingPrivilege: (privilege: string) =>
    jamfError(403, 'INVALID_PRIVILEGE', `Forbidden: the API client lacks the privilege "${privilege}"`),
  invalidField: (parameter: string, field: string) =>
    jamfError(400, 'INVALID_FIELD', `Invalid field: ${field}`, parameter),
  invalidFilter: (message: string) => jamfError(400, 'INVALID_RSQL_FILTER', message, 'filter'),
  invalidParameter: (parameter: string, message: string) =>
    jamfError(400, 'INVALID_PARAMETER', message, parameter),
  notFound: () => jamfError(404, 'NOT_FOUND', 'Not Found'),
  methodNotAllowed: () => jamfError(405, 'METHOD_NOT_ALLOWED', 'Method Not Allowed'),
  concurrencyLimit: (limit: number) =>
    jamfError(503, 'CONCURRENCY_LIMIT', `More than ${limit} requests in flight for this instance`),
  /** An injected failure with Jamf's error shape; 429 carries `Retry-After` unless `retryAfter` is null. */
  injected: (status: number, retryAfter: number | null) => {
    const known = SERVER_ERRORS[status] ?? {
      code: status === 429 ? 'TOO_MANY_REQUESTS' : `HTTP_${status}`,
      description: status === 429 ? 'Too Many Requests' : `Injected error ${status}`,
    };
    const headers: Record<string, string> =
      status === 429 && retryAfter !== null ? { 'Retry-After': String(retryAfter) } : {};
    return jamfError(status, known.code, known.description, null, headers);
  },
};

/** OAuth-style errors of the token endpoint (RFC 6749 §5.2). */
export function oauthError(status: number, error: string, description?: string): ApiResult {
  return {
    status,
    headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    json: description === undefined ? { error } : { error, error_description: description },
    error,
  };
}

/** What a load balancer in front of Jamf Cloud answers for an over-long request line. */
export function uriTooLong(): ApiResult {
  return {
    status: 414,
    headers: { 'Content-Type': 'text/html' },
    text:
      '<html>\r\n<head><title>414 Request-URI Too Large</title></head>\r\n<body>\r\n' +
      '<center><h1>414 Request-URI Too Large</h1></center>\r\n</body>\r\n</html>\r\n',
    error: 'URI_TOO_LONG',
  };
}

/** Tomcat's plain page for paths outside the API. */
export function htmlNotFound(): ApiResult {
  return {
    status: 404,
    headers: { 'Content-Type': 'text/html;charset=utf-8' },
    text: '<!doctype html><html lang="en"><head><title>HTTP Status 404 – Not Found</title></head><body><h1>HTTP Status 404 – Not Found</h1></body></html>',
    error: 'NOT_FOUND',
  };
}

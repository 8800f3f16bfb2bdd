/**
 * Google's error bodies. The Directory API uses the "legacy" JSON shape
 * `{error: {code, message, errors: [{message, domain, reason, location?, locationType?}], status}}`;
 * the OAuth endpoints answer `{error, error_description}`.
 */
import { escapeHtml } from '../shared/html.ts';

export { escapeHtml };

export interface ApiErrorDetail {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
}

export interface ApiResult {
  status: number;
  headers: Record<string, string>;
  /** JSON value (serialised by the server) or a raw string body. */
  json?: unknown;
  text?: string;
  /** Error reason for the request log. */
  error?: string;
  /** Devices returned or counted, for the request log. */
  resultCount?: number;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function apiError(
  code: number,
  reason: string,
  message: string,
  extra: {
    location?: string;
    locationType?: string;
    headers?: Record<string, string>;
    errorMessage?: string;
  } = {},
): ApiResult {
  const detail: ApiErrorDetail = { message: extra.errorMessage ?? message, domain: 'global', reason };
  if (extra.location) detail.location = extra.location;
  if (extra.locationType) detail.locationType = extra.locationType;
  const status = STATUS_NAMES[code];
  return {
    status: code,
    headers: extra.headers ?? {},
    json: { error: { code, message, errors: [detail], ...(status ? { status } : {}) } },
    error: reason,
  };
}

const CREDENTIALS_HELP =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. ' +
  'See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export const errors = {
  loginRequired: () =>
    apiError(401, 'required', `Request is missing required authentication credential. ${CREDENTIALS_HELP}`, {
      errorMessage: 'Login Required.',
      location: 'Authorization',
      locationType: 'header',
      headers: { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' },
    }),
  invalidCredentials: () =>
    apiError(401, 'authError', `Request had invalid authentication credentials. ${CREDENTIALS_HELP}`, {
      errorMessage: 'Invalid Credentials',
      location: 'Authorization',
      locationType: 'header',
      headers: { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    }),
  insufficientScopes: (requiredScopes: string[]) => {
    const result = apiError(
      403,
      'insufficientPermissions',
      'Request had insufficient authentication scopes.',
      {
        errorMessage: 'Insufficient Permission',
        headers: {
          'WWW-Authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${requiredScopes.join(' ')}"`,
        },
      },
    );
    const body = result.json as { error: Record<string, unknown> };
    body.error.details = [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
        domain: 'googleapis.com',
        metadata: { service: 'admin.googleapis.com' },
      },
    ];
    return result;
  },
  forbidden: () => apiError(403, 'forbidden', 'Not Authorized to access this resource/api'),
  notFound: (what: string) => apiError(404, 'notFound', `Resource Not Found: ${what}`),
  invalid: (message: string) => apiError(400, 'invalid', message),
  invalidParameter: (message: string, location: string) =>
    apiError(400, 'invalidParameter', message, { location, locationType: 'parameter' }),
  badRequest: (message: string) => apiError(400, 'badRequest', message),
  backendError: (code: number) =>
    apiError(
      code,
      'backendError',
      code === 503 ? 'The service is currently unavailable.' : 'Internal error encountered.',
      { errorMessage: code === 503 ? 'Service unavailable. Please try again' : 'Backend Error' },
    ),
};

/** Google's plain HTML 404 for paths that are no API at all. */
export function htmlNotFound(path: string): ApiResult {
  return {
    status: 404,
    headers: { 'Content-Type': 'text/html; charset=UTF-8' },
    text:
      '<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 404 (Not Found)!!1</title>\n' +
      `  <p><b>404.</b> <ins>That’s an error.</ins>\n  <p>The requested URL <code>${escapeHtml(path)}</code> was not found on this server.  <ins>That’s all we know.</ins>\n`,
    error: 'notFound',
  };
}

export interface OAuthErrorResult {
  status: number;
  error: string;
  description?: string;
}

export function oauthError(status: number, error: string, description?: string): OAuthErrorResult {
  return description === undefined ? { status, error } : { status, error, description };
}

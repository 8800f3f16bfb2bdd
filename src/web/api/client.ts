import type { ErrorCode } from '../../common/errors.ts';

export const API_BASE = '/api/v1';

/** One validation problem reported by the server (`code: 'invalid'`). */
export interface FieldIssue {
  path: string;
  message: string;
}

export type ApiErrorCode = ErrorCode | 'network';

/** Any failed API call: the server's `{ error: { code, message, details } }`, or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(status: number, code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Validation issues with the request-part prefix (`body.`, `querystring.`) removed, e.g. `email`. */
  get fieldIssues(): FieldIssue[] {
    if (this.code !== 'invalid' || !Array.isArray(this.details)) return [];
    return this.details.flatMap((item: unknown): FieldIssue[] => {
      if (typeof item !== 'object' || item === null) return [];
      const { path, message } = item as { path?: unknown; message?: unknown };
      if (typeof message !== 'string') return [];
      const raw = typeof path === 'string' ? path : '';
      return [{ path: raw.replace(/^(body|querystring|params)\.?/, ''), message }];
    });
  }
}

type QueryValue = string | number | boolean | null | undefined;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: HttpMethod;
  /** Sent as JSON. */
  body?: unknown;
  /** Arrays repeat the parameter (`status=a&status=b`). */
  query?: Record<string, QueryValue | readonly QueryValue[]>;
  signal?: AbortSignal;
  /**
   * When true (the default) a 401 ends the session in the UI, which sends the user to the sign-in page.
   * Sign-in and the session check turn it off and handle 401 themselves.
   */
  endSessionOnUnauthenticated?: boolean;
}

export interface ClientHooks {
  /** The CSRF token from the latest SessionResponse. */
  getCsrfToken: () => string | undefined;
  /** Fetches a fresh session and returns its CSRF token (used once when the server rejects the token). */
  refreshCsrfToken: () => Promise<string | undefined>;
  /** Called when an authenticated call answers 401. */
  onUnauthenticated: () => void;
}

const hooks: ClientHooks = {
  getCsrfToken: () => undefined,
  refreshCsrfToken: async () => undefined,
  onUnauthenticated: () => {},
};

export function configureClient(overrides: Partial<ClientHooks>): void {
  Object.assign(hooks, overrides);
}

const SAFE_METHODS = new Set<HttpMethod>(['GET']);

function buildUrl(path: string, query: RequestOptions['query']): string {
  const url = `${API_BASE}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) params.append(key, String(item));
    }
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

async function toApiError(response: Response): Promise<ApiError> {
  let payload: unknown;
  try {
    payload = await response.json();
  } catch {
    payload = undefined;
  }
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
    ?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(response.status, error.code as ErrorCode, error.message, error.details);
  }
  if (response.status === 401) return new ApiError(401, 'unauthenticated', 'Sign in to continue');
  if (response.status === 403) return new ApiError(403, 'forbidden', 'You do not have permission to do that');
  if (response.status === 404) return new ApiError(404, 'not_found', 'Not found');
  if (response.status === 429) {
    return new ApiError(429, 'rate_limited', 'Too many requests; wait a moment and try again');
  }
  return new ApiError(
    response.status,
    'internal',
    response.status >= 500
      ? `The server ran into a problem (HTTP ${response.status}). Try again in a moment.`
      : `The request failed (HTTP ${response.status}).`,
  );
}

async function send(path: string, options: RequestOptions, csrfToken: string | undefined): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (!SAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(
      0,
      'network',
      'Could not reach the Satchel server. Check your connection and try again.',
    );
  }
}

/** Calls `/api/v1{path}` and returns the parsed JSON body (`undefined` for 204). Throws ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  let response = await send(path, options, hooks.getCsrfToken());

  if (!response.ok && response.status === 403 && !SAFE_METHODS.has(method)) {
    const error = await toApiError(response.clone());
    if (error.code === 'csrf') {
      // The token may be stale (e.g. the session was renewed in another tab): refresh it once and retry.
      const fresh = await hooks.refreshCsrfToken().catch(() => undefined);
      if (fresh) response = await send(path, options, fresh);
    }
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && options.endSessionOnUnauthenticated !== false) hooks.onUnauthenticated();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface UploadOptions {
  /** Sent as the raw request body. */
  body: Blob;
  contentType: string;
  query?: RequestOptions['query'];
  signal?: AbortSignal;
  /** Share of the body sent so far, 0–1, as the browser reports it. */
  onProgress?: (fraction: number) => void;
}

function sendWithXhr(options: UploadOptions, url: string, csrfToken: string | undefined): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', options.contentType);
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    xhr.upload.onload = () => options.onProgress?.(1);
    xhr.onload = () => {
      options.signal?.removeEventListener('abort', abort);
      const contentType = xhr.getResponseHeader('Content-Type');
      resolve(
        new Response(xhr.status === 204 ? null : xhr.responseText, {
          status: xhr.status,
          headers: contentType ? { 'Content-Type': contentType } : {},
        }),
      );
    };
    xhr.onerror = () => {
      options.signal?.removeEventListener('abort', abort);
      reject(
        new ApiError(
          0,
          'network',
          'Could not reach the Satchel server. Check your connection and try again.',
        ),
      );
    };
    xhr.onabort = () => {
      options.signal?.removeEventListener('abort', abort);
      reject(new DOMException('The upload was cancelled', 'AbortError'));
    };
    if (options.signal?.aborted) {
      reject(new DOMException('The upload was cancelled', 'AbortError'));
      return;
    }
    options.signal?.addEventListener('abort', abort, { once: true });
    xhr.send(options.body);
  });
}

/**
 * POSTs a file as the raw body of `/api/v1{path}` with XMLHttpRequest, so the caller can show upload progress.
 * Errors, CSRF retry and 401 handling match `api`.
 */
export async function apiUpload<T>(path: string, options: UploadOptions): Promise<T> {
  const url = buildUrl(path, options.query);
  let response = await sendWithXhr(options, url, hooks.getCsrfToken());

  if (response.status === 403) {
    const error = await toApiError(response.clone());
    if (error.code === 'csrf') {
      const fresh = await hooks.refreshCsrfToken().catch(() => undefined);
      if (fresh) {
        options.onProgress?.(0);
        response = await sendWithXhr(options, url, fresh);
      }
    }
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401) hooks.onUnauthenticated();
    throw error;
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** `/api/v1{path}` with a query string, for plain links such as CSV downloads (the session cookie authenticates them). */
export function apiUrl(path: string, query?: URLSearchParams | RequestOptions['query']): string {
  if (query instanceof URLSearchParams) {
    const search = query.toString();
    return search ? `${API_BASE}${path}?${search}` : `${API_BASE}${path}`;
  }
  return buildUrl(path, query);
}

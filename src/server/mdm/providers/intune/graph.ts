import { refuseRedirect } from '../../http/redirects.ts';
import { requestText, type TextResponse } from '../../http/request.ts';
import type { ClassifiedFailure } from '../../http/retry.ts';
import type { ProviderDeps } from '../../provider.ts';
import {
  isNetworkFailure,
  isObject,
  isOversized,
  jsonOf,
  MAX_RESPONSE_BYTES,
  retryAfterOf,
} from './answers.ts';
import { intuneConfig } from './config.ts';
import { classifyEntraFailure, EntraRefusal } from './entra.ts';
import type { StoredSecret } from './secret.ts';
import { DEVICE_READ_PERMISSION } from './settings.ts';
import { accessTokenFor } from './token.ts';

/**
 * Microsoft Graph refused a request, whole or inside a `$batch`. Its body is OData's
 * `{"error":{"code","message","innerError"}}`; Satchel branches on the status and `code`, never on `message`
 * (Intune puts its own JSON there).
 */
export class GraphRefusal extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly retryAfterMs: number | undefined;

  constructor(status: number, body: unknown, headers?: Readonly<Record<string, string>>) {
    const error = isObject(body) && isObject(body.error) ? body.error : undefined;
    const code = typeof error?.code === 'string' ? error.code : null;
    super(`Microsoft Graph answered ${status}${code ? ` ${code}` : ''}`);
    this.status = status;
    this.code = code;
    this.retryAfterMs = retryAfterOf(headers);
  }

  static of(response: TextResponse): GraphRefusal {
    return new GraphRefusal(response.status, jsonOf(response), response.headers);
  }
}

/** What a 403 from the device endpoints means, in words that say what to fix. */
export const MISSING_PERMISSION = `the app needs the application permission ${DEVICE_READ_PERMISSION}, with admin consent granted for the tenant`;

/** Sorts what Graph answered (or what stopped the request) into what the retry loop does with it. */
export function classifyGraphFailure(error: unknown): ClassifiedFailure {
  if (error instanceof EntraRefusal) return classifyEntraFailure(error);
  if (error instanceof GraphRefusal) return classifyRefusal(error);
  if (isNetworkFailure(error))
    return {
      kind: 'transient',
      message: `Microsoft Graph could not be reached (${(error as Error).message})`,
    };
  if (isOversized(error))
    return {
      kind: 'malformed',
      message: `Microsoft Graph sent an answer larger than ${MAX_RESPONSE_BYTES / 2 ** 20} MB; it was refused`,
    };
  if (error instanceof SyntaxError)
    return { kind: 'malformed', message: 'Microsoft Graph returned an answer that is not valid JSON' };
  return {
    kind: 'fatal',
    message: `The request to Microsoft Graph failed (${String((error as Error)?.message ?? error)})`,
  };
}

function classifyRefusal(refusal: GraphRefusal): ClassifiedFailure {
  const said = `${refusal.status}${refusal.code ? ` ${refusal.code}` : ''}`;
  if (refusal.status === 429)
    return {
      kind: 'rate_limited',
      message: `Microsoft Graph throttled Satchel (${said})`,
      retryAfterMs: refusal.retryAfterMs,
    };
  if (refusal.status >= 500)
    return {
      kind: 'transient',
      message: `Microsoft Graph is unavailable (${said})`,
      retryAfterMs: refusal.retryAfterMs,
    };
  if (refusal.status === 401)
    return {
      kind: 'auth_revoked',
      message: `Microsoft Graph no longer accepts Satchel’s access to the tenant (${said}): the app’s consent or credentials were removed; authorize Intune again`,
    };
  if (refusal.status === 403)
    return {
      kind: 'auth_revoked',
      message: `Microsoft Graph refused to read Intune devices (${said}): ${MISSING_PERMISSION}`,
    };
  if (refusal.status === 400)
    return {
      kind: 'fatal',
      message: `Microsoft Graph refused the request (${said}), as it does for a tenant without an active Intune licence`,
    };
  return { kind: 'fatal', message: `Microsoft Graph refused the request (${said})` };
}

/** A request to Graph, on behalf of one connection. */
export interface GraphCall {
  secret: string;
  stored: StoredSecret;
  signal: AbortSignal;
  /** Token requests' retries, when someone is waiting on the answer (a connection test). */
  tokenRetries?: number;
}

/**
 * Sends a request with the connection's access token. A token can die before its expiry (consent revoked,
 * secret rotated): after a 401 the request goes once more with a new token; a second 401 is the answer.
 */
export async function sendWithToken(
  deps: ProviderDeps,
  call: GraphCall,
  send: (headers: Record<string, string>) => Promise<TextResponse>,
): Promise<TextResponse> {
  const options = {
    signal: call.signal,
    ...(call.tokenRetries === undefined ? {} : { maxRetries: call.tokenRetries }),
  };
  const token = await accessTokenFor(deps, call.secret, call.stored, options);
  const answer = await send(bearer(token.accessToken));
  if (answer.status !== 401) return answer;
  const renewed = await accessTokenFor(deps, call.secret, call.stored, {
    ...options,
    rejected: token.accessToken,
  });
  return send(bearer(renewed.accessToken));
}

function bearer(accessToken: string): Record<string, string> {
  return { authorization: `Bearer ${accessToken}`, accept: 'application/json' };
}

/** A GET of a Graph URL (absolute), answered as it came; a redirect is refused. */
export function getFromGraph(deps: ProviderDeps, call: GraphCall, url: string): Promise<TextResponse> {
  return sendWithToken(deps, call, async (headers) => {
    const response = await requestText('GET', url, headers, null, {
      signal: call.signal,
      maxBytes: MAX_RESPONSE_BYTES,
    });
    refuseRedirect(response.status, response.headers.location);
    return response;
  });
}

/** Graph's v1.0 root at the configured address. */
export function graphRoot(deps: Pick<ProviderDeps, 'config'>): string {
  return `${intuneConfig(deps.config).graphUrl}/v1.0`;
}

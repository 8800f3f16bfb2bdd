import { districtUrlAgents } from '../../http/provider-agents.ts';
import { refuseRedirect } from '../../http/redirects.ts';
import { requestText, type TextResponse } from '../../http/request.ts';
import { type ClassifiedFailure, retryAfterMs } from '../../http/retry.ts';
import type { ProviderDeps } from '../../provider.ts';
import type { InventoryEndpoint } from './kinds.ts';

/** An answer larger than this is refused while it streams in, before it can exhaust memory. */
export const MAX_RESPONSE_BYTES = 20 * 2 ** 20;
/** A Jamf Pro that accepts a connection and then says nothing fails the attempt after this long. */
const ANSWER_TIMEOUT_MS = 60_000;

/**
 * Sends one request to the district's Jamf Pro. The URL is the district's own, so every connection goes through
 * the agents that check where it leads (no private or metadata addresses unless the installation allows them),
 * and a redirect is refused rather than followed.
 */
export async function sendToJamf(
  deps: ProviderDeps,
  request: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body?: string },
  signal: AbortSignal,
): Promise<TextResponse> {
  const answer = await requestText(
    request.method,
    request.url,
    { accept: 'application/json', ...request.headers },
    request.body ?? null,
    {
      signal: AbortSignal.any([signal, AbortSignal.timeout(ANSWER_TIMEOUT_MS)]),
      maxBytes: MAX_RESPONSE_BYTES,
      agents: districtUrlAgents(deps.config.allowPrivateProviderUrls),
    },
  );
  refuseRedirect(answer.status, answer.headers.location);
  return answer;
}

/** What an answer was for: the token endpoint, or one of the inventories. */
export type Asked = 'token' | InventoryEndpoint;

/** An answer other than success, with Jamf's error code and description when its body has them. */
export class JamfRefusal extends Error {
  readonly status: number;
  readonly asked: Asked;
  readonly code: string | null;
  readonly retryAfterMs: number | undefined;

  constructor(answer: TextResponse, asked: Asked) {
    const { code, description } = errorOf(answer.text);
    super(description ?? `HTTP ${answer.status}`);
    this.status = answer.status;
    this.asked = asked;
    this.code = code;
    this.retryAfterMs = retryAfterMs(answer.headers['retry-after']);
  }
}

/** A success whose body is not what Jamf Pro sends there. */
export class MalformedAnswer extends Error {}

/**
 * Jamf Pro's error body `{"httpStatus", "errors": [{"code", "description", …}]}`, or OAuth's `{"error",
 * "error_description"}` from the token endpoint; nothing from a body of another shape (an HTML error page).
 */
function errorOf(text: string): { code: string | null; description: string | null } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { code: null, description: null };
  }
  if (!body || typeof body !== 'object') return { code: null, description: null };
  const { errors, error, error_description: oauthDescription } = body as Record<string, unknown>;
  const first = Array.isArray(errors) ? (errors[0] as Record<string, unknown> | undefined) : undefined;
  const code = first?.code ?? error;
  const description = first?.description ?? oauthDescription;
  return {
    code: typeof code === 'string' ? code : null,
    description: typeof description === 'string' ? description : null,
  };
}

const NETWORK_FAILURE =
  /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|socket hang up/i;

function where(asked: Asked): string {
  return asked === 'token' ? 'the token endpoint' : `the ${asked.label} inventory`;
}

function withCode(refusal: JamfRefusal): string {
  return refusal.code ? `${refusal.status} ${refusal.code}` : String(refusal.status);
}

function classifyRefusal(refusal: JamfRefusal): ClassifiedFailure {
  const { status, asked } = refusal;
  const retryAfter = refusal.retryAfterMs;
  // Jamf Pro has no rate limiter of its own, but a proxy in front of it may have one.
  if (status === 429)
    return {
      kind: 'rate_limited',
      message: 'Jamf Pro asked for fewer requests (429)',
      retryAfterMs: retryAfter,
    };
  if (status >= 500)
    return {
      kind: 'transient',
      message: `Jamf Pro could not answer ${where(asked)} (${withCode(refusal)})`,
      retryAfterMs: retryAfter,
    };
  if (asked === 'token' && (status === 401 || refusal.code === 'invalid_client'))
    return {
      kind: 'auth_revoked',
      message:
        'Jamf Pro no longer accepts the API client’s ID and secret (invalid_client): the client was disabled or deleted, or its secret was rotated',
      details: { code: 'invalid_client' },
    };
  if (asked !== 'token' && status === 401)
    return {
      kind: 'auth_revoked',
      message: `Jamf Pro refused a token it had just issued (401 on ${where(asked)}): the API client was disabled or deleted`,
    };
  if (asked !== 'token' && status === 403)
    return {
      kind: 'auth_revoked',
      message: `Jamf Pro refused to read ${asked.label} (${withCode(refusal)}): the API client’s role lacks the “${asked.privilege}” privilege`,
      details: { privilege: asked.privilege },
    };
  if (status === 404)
    return {
      kind: 'fatal',
      message: `Jamf Pro has no ${asked === 'token' ? 'API client token endpoint' : `${asked.label} inventory`} at this URL (404): check the Jamf Pro URL`,
      details: { status },
    };
  return {
    kind: 'fatal',
    message: `Jamf Pro refused a request to ${where(asked)} (${withCode(refusal)}${refusal.code ? `: ${refusal.message}` : ''})`,
    details: { status },
  };
}

/** Sorts what went wrong with a request to Jamf Pro into what the retry loop does with it. */
export function classifyJamfFailure(error: unknown): ClassifiedFailure {
  if (error instanceof JamfRefusal) return classifyRefusal(error);
  if (error instanceof MalformedAnswer) return { kind: 'malformed', message: error.message };
  if (error instanceof SyntaxError)
    return { kind: 'malformed', message: 'Jamf Pro returned a response that is not valid JSON' };
  if ((error as { type?: string }).type === 'max-size')
    return {
      kind: 'malformed',
      message: `Jamf Pro sent a response larger than ${MAX_RESPONSE_BYTES / 2 ** 20} MB; it was refused`,
    };
  const { name, message, code } = error as { name?: string; message?: string; code?: string };
  if (name === 'TimeoutError')
    return { kind: 'transient', message: `Jamf Pro did not answer within ${ANSWER_TIMEOUT_MS / 1000} s` };
  if (NETWORK_FAILURE.test(`${code ?? ''} ${message ?? ''}`))
    return { kind: 'transient', message: `Jamf Pro could not be reached (${code ?? message})` };
  if (code === 'ENOTFOUND')
    return { kind: 'fatal', message: 'The Jamf Pro host name could not be found: check the Jamf Pro URL' };
  return { kind: 'fatal', message: `Jamf Pro request failed (${message ?? 'unknown error'})` };
}

import type { TextResponse } from '../../http/request.ts';
import { retryAfterMs } from '../../http/retry.ts';

/** SY-8: an answer larger than this is refused while it streams in, before it can exhaust memory. */
export const MAX_RESPONSE_BYTES = 20 * 2 ** 20;

/** A socket-level failure: Microsoft could not be reached this time, which a retry may cure. */
export function isNetworkFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED'].includes(
      code,
    )
  );
}

/** What the request helper throws for an answer over the size limit. */
export function isOversized(error: unknown): boolean {
  return (error as { type?: unknown } | null)?.type === 'max-size';
}

/** An answer's JSON body, or undefined when it has none that parses. */
export function jsonOf(response: TextResponse): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    return undefined;
  }
}

/** `Retry-After`, as Microsoft sends it on 429 and some 503 answers. */
export function retryAfterOf(headers: Readonly<Record<string, string>> | undefined): number | undefined {
  if (!headers) return undefined;
  const name = Object.keys(headers).find((header) => header.toLowerCase() === 'retry-after');
  return retryAfterMs(name === undefined ? undefined : headers[name]);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

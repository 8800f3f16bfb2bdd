import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { ProviderError } from '../../errors.ts';
import type { RequestLimiter } from './limiter.ts';

export type FailureKind = 'rate_limited' | 'auth_revoked' | 'transient' | 'malformed' | 'fatal';

export interface ClassifiedFailure {
  kind: FailureKind;
  message: string;
  retryAfterMs?: number | undefined;
  /** What the ProviderError carries for whoever explains it (the privilege a 403 names, say). */
  details?: unknown;
}

export interface RetryOptions {
  signal: AbortSignal;
  /** Paces attempts against the provider's quota, shared with every other worker; told of rate limits. */
  limiter?: RequestLimiter | undefined;
  /** The provider's units one attempt spends (Graph counts each request inside a batch); default 1. */
  cost?: number;
  /** Where each retry is logged, at debug level. */
  log?: FastifyBaseLogger | undefined;
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How to wait; tests pass their own to see every delay without spending it. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>;
}

/** At most 8 attempts; attempt k waits a random time in [0, min(64 s, 2^k s)], or what `Retry-After` says. */
export const RETRY_POLICY = { maxRetries: 7, baseDelayMs: 1000, maxDelayMs: 64_000 } as const;

const realSleep = (ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal });

/** Seconds or an HTTP date, as `Retry-After` allows. */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * The one retry loop for provider calls: rate limits and transient failures back off exponentially with full
 * jitter (or as long as `Retry-After` says), a bounded number of times; everything else fails at once as a
 * ProviderError naming the reason. Returns the value and how many retries it took.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  classify: (error: unknown) => ClassifiedFailure,
  options: RetryOptions,
): Promise<{ value: T; retries: number }> {
  const maxRetries = options.maxRetries ?? RETRY_POLICY.maxRetries;
  const base = options.baseDelayMs ?? RETRY_POLICY.baseDelayMs;
  const cap = options.maxDelayMs ?? RETRY_POLICY.maxDelayMs;
  const wait = options.sleep ?? realSleep;
  for (let retries = 0; ; retries++) {
    options.signal.throwIfAborted();
    const answered = await inTurn(attempt, options);
    if ('value' in answered) return { value: answered.value, retries };
    const { error } = answered;
    if (error instanceof ProviderError) throw error;
    const failure = classify(error);
    const retryable = failure.kind === 'rate_limited' || failure.kind === 'transient';
    if (!retryable) {
      throw new ProviderError(
        failure.kind === 'fatal' ? 'unavailable' : failure.kind,
        failure.message,
        failure.details,
      );
    }
    if (retries >= maxRetries) {
      throw new ProviderError('unavailable', `${failure.message} (gave up after ${retries} retries)`);
    }
    const backoff = Math.random() * Math.min(cap, base * 2 ** retries);
    // Retry-After is a floor: no request goes out before the provider said it may.
    const delay = Math.max(backoff, failure.retryAfterMs ?? 0);
    options.log?.debug(
      { failure: failure.message, retry: retries + 1, delayMs: Math.round(delay) },
      'retrying a provider request',
    );
    // Too many requests is about everyone's requests: every worker holds off, not only this one.
    if (failure.kind === 'rate_limited') await options.limiter?.slowDown(failure.retryAfterMs ?? delay);
    await wait(delay, options.signal);
  }
}

/**
 * One attempt in a turn of the limiter. The turn ends with the answer, not after a back-off: a concurrency cap
 * counts requests in flight, and a request waiting to retry is not one.
 */
async function inTurn<T>(
  attempt: () => Promise<T>,
  options: RetryOptions,
): Promise<{ value: T } | { error: unknown }> {
  const release = await options.limiter?.acquire(options.signal, options.cost ?? 1);
  try {
    return { value: await attempt() };
  } catch (error) {
    return { error };
  } finally {
    release?.();
  }
}

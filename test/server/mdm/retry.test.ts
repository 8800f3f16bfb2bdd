import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/server/errors.ts';
import { RETRY_POLICY, withRetries } from '../../../src/server/mdm/http/retry.ts';
import { classifyGoogleFailure } from '../../../src/server/mdm/providers/google/fetch.ts';

/** What a Google client error looks like to the retry loop. */
function googleError(status: number, reason: string | null, retryAfter: string | null) {
  const headers = new Headers();
  if (retryAfter !== null) headers.set('retry-after', retryAfter);
  return {
    status,
    response: { status, headers, data: { error: { errors: reason ? [{ reason }] : [] } } },
  };
}

const retryAfterArb = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 0, max: 120 }).map((seconds) => ({ header: String(seconds) })),
  fc
    .integer({ min: 1, max: 120 })
    .map((seconds) => ({ header: new Date(Date.now() + seconds * 1000).toUTCString() })),
);

const retryableArb = fc.record({
  status: fc.constantFrom(429, 500, 502, 503, 504, 403),
  retryAfter: retryAfterArb,
});

describe('retry etiquette (SY-7)', () => {
  it('never sends a request before Retry-After allows, backs off within [0, min(64 s, 2^k s)] otherwise, and gives up after 8 attempts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(retryableArb, { minLength: 0, maxLength: 10 }), async (failures) => {
        const waits: { ms: number; at: number }[] = [];
        let attempts = 0;
        const outcome = await withRetries(
          async () => {
            const failure = failures[attempts++];
            if (!failure) return 'ok';
            throw googleError(
              failure.status,
              failure.status === 403 ? 'userRateLimitExceeded' : 'backendError',
              failure.retryAfter?.header ?? null,
            );
          },
          classifyGoogleFailure,
          {
            signal: new AbortController().signal,
            sleep: async (ms) => {
              waits.push({ ms, at: Date.now() });
            },
          },
        ).then(
          (result) => result,
          (error: unknown) => error,
        );
        const maxAttempts = RETRY_POLICY.maxRetries + 1;
        expect(attempts).toBe(Math.min(failures.length + 1, maxAttempts));
        if (failures.length >= maxAttempts) {
          expect(outcome).toBeInstanceOf(ProviderError);
          expect((outcome as ProviderError).message).toMatch(/gave up after 7 retries/);
        } else {
          expect(outcome).toEqual({ value: 'ok', retries: failures.length });
        }
        waits.forEach(({ ms, at }, k) => {
          const header = failures[k]?.retryAfter?.header;
          if (header === undefined) {
            expect(ms).toBeGreaterThanOrEqual(0);
            expect(ms).toBeLessThanOrEqual(Math.min(64_000, 1000 * 2 ** k));
          } else if (/^\d+$/.test(header)) expect(ms).toBeGreaterThanOrEqual(Number(header) * 1000);
          // The next request goes out no earlier than the date Google named.
          else expect(at + ms).toBeGreaterThanOrEqual(Date.parse(header));
        });
      }),
      { numRuns: 500 },
    );
  });

  it('retries Google’s rate-limit 403s but no other 403, nor 400 or 401', async () => {
    for (const [status, reason, retried] of [
      [403, 'rateLimitExceeded', true],
      [403, 'userRateLimitExceeded', true],
      [403, 'quotaExceeded', true],
      [403, 'forbidden', false],
      [403, 'insufficientPermissions', false],
      [400, 'invalid', false],
      [401, 'authError', false],
    ] as const) {
      let attempts = 0;
      await withRetries(
        async () => {
          if (attempts++ === 0) throw googleError(status, reason, null);
          return 'ok';
        },
        classifyGoogleFailure,
        { signal: new AbortController().signal, sleep: async () => undefined },
      ).catch(() => undefined);
      expect(attempts, `${status} ${reason}`).toBe(retried ? 2 : 1);
    }
  });
});

import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/schema.ts';
import type { RequestLimiter } from '../http/limiter.ts';
import type { ProviderDefinition, ProviderSettings } from '../provider.ts';
import { SharedConcurrencyLimiter } from './concurrency-limit.ts';
import { type ActiveWatch, Deactivated } from './deactivated.ts';
import { SharedRateLimiter } from './rate-limit.ts';

/**
 * The limiter for a connection's requests, in the unit the provider declares: Google's one quota for every
 * district, Graph's budget per tenant, Jamf's cap on requests in flight per instance.
 */
export function limiterFor(
  db: Kysely<DB>,
  provider: ProviderDefinition,
  settings: ProviderSettings,
  config: Config,
): RequestLimiter {
  const unit = provider.rateLimit;
  switch (unit.kind) {
    case 'shared_quota':
      return new SharedRateLimiter(db, provider.key, unit.perMinute(config));
    case 'per_tenant':
      return new SharedRateLimiter(db, `${provider.key}:${unit.tenant(settings)}`, unit.perMinute(config));
    case 'concurrency':
      return new SharedConcurrencyLimiter(db, `${provider.key}:${unit.instance(settings)}`, unit.max);
  }
}

/** The limiter, telling `paced` when a request's first turn came. */
export function tellingLimiter(limiter: RequestLimiter, paced: () => void): RequestLimiter {
  return {
    acquire: async (signal, cost) => {
      const release = await limiter.acquire(signal, cost);
      paced();
      return release;
    },
    slowDown: (ms) => limiter.slowDown(ms),
  };
}

/** A request whose turn came this long after the connection was last seen active reads its state again. */
const ACTIVE_CHECK_STALE_MS = 250;
/** So does one that had to wait this long for its turn: the connection may have left meanwhile. */
const ACTIVE_CHECK_WAITED_MS = 10;

/**
 * The limiter, asking again whether the connection is still active when a request's turn comes long after it
 * was last seen so, or after a wait: a retry after its backoff, a turn under a quota that binds, a slot that
 * another request held. A deactivation meanwhile sends the provider nothing more; the run stops as at a page
 * boundary.
 */
export function activeLimiter(limiter: RequestLimiter, active: ActiveWatch): RequestLimiter {
  return {
    acquire: async (signal, cost) => {
      const asked = performance.now();
      const release = await limiter.acquire(signal, cost);
      const now = performance.now();
      const stale = now - active.seenAt > ACTIVE_CHECK_STALE_MS || now - asked > ACTIVE_CHECK_WAITED_MS;
      if (stale && !(await active.confirm())) {
        release();
        throw new Deactivated();
      }
      return release;
    },
    slowDown: (ms) => limiter.slowDown(ms),
  };
}

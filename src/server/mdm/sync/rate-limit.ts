import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

import type { ReleaseTurn, RequestLimiter } from '../http/limiter.ts';

export type { RequestLimiter };

/**
 * The buckets this process has made sure of (or is making sure of), per database: each run builds its own
 * limiter, and the first requests of a run (a count and a page, say) ask for their turns at once.
 */
const knownBuckets = new WeakMap<Kysely<DB>, Map<string, Promise<void>>>();

const endNothing: ReleaseTurn = () => undefined;

/**
 * A token bucket in one PostgreSQL row per bucket (a provider, or a provider's tenant), taken from atomically by
 * every worker process: the aggregate rate stays within `perMinute` however many workers and districts share
 * it. The bucket holds a quarter second of requests at most, so no minute ever sees more than `perMinute` plus
 * that small burst.
 */
export class SharedRateLimiter implements RequestLimiter {
  readonly #db: Kysely<DB>;
  readonly #bucket: string;
  readonly #perSecond: number;
  readonly #capacity: number;

  constructor(db: Kysely<DB>, bucket: string, perMinute: number) {
    this.#db = db;
    this.#bucket = bucket;
    this.#perSecond = perMinute / 60;
    this.#capacity = Math.max(1, Math.floor(this.#perSecond / 4));
  }

  /** Creates the bucket unless this process has seen it already. */
  #ensureBucket(): Promise<void> {
    let known = knownBuckets.get(this.#db);
    if (!known) {
      known = new Map();
      knownBuckets.set(this.#db, known);
    }
    let ensuring = known.get(this.#bucket);
    if (!ensuring) {
      const buckets = known;
      ensuring = sql`
        insert into provider_rate_limits (provider, tokens, refilled_at)
        values (${this.#bucket}, ${this.#capacity}, clock_timestamp())
        on conflict (provider) do nothing`
        .execute(this.#db)
        .then(
          () => undefined,
          (error: unknown) => {
            // Not made: the next request tries again.
            buckets.delete(this.#bucket);
            throw error;
          },
        );
      known.set(this.#bucket, ensuring);
    }
    return ensuring;
  }

  async acquire(signal: AbortSignal, cost = 1): Promise<ReleaseTurn> {
    await this.#ensureBucket();
    // A request dearer than the bucket holds takes a full bucket: it could never go out otherwise.
    const need = Math.min(Math.max(1, cost), this.#capacity);
    for (;;) {
      signal.throwIfAborted();
      // The bucket is a pace, not a record: its commit need not wait for the disk (a crash forgets at most the
      // last few tokens taken). Waiting for the flush made every request wait a WAL write, in turn behind the row.
      const taken = await sql<{ wait_ms: number }>`
        with now as (select clock_timestamp() as t from (select set_config('synchronous_commit', 'off', true)) as asynchronous),
        current as (
          select r.provider, r.paused_until, now.t,
            least(${this.#capacity}::float8,
              r.tokens + greatest(0, extract(epoch from now.t - r.refilled_at)) * ${this.#perSecond}::float8) as available
          from provider_rate_limits r, now
          where r.provider = ${this.#bucket}
          for update of r
        ),
        taken as (
          update provider_rate_limits r set tokens = c.available - ${need}, refilled_at = c.t
          from current c
          where r.provider = c.provider and c.available >= ${need} and coalesce(c.paused_until, '-infinity') <= c.t
          returning r.provider
        )
        select case
          when exists (select 1 from taken) then 0
          when coalesce(c.paused_until, '-infinity') > c.t then extract(epoch from c.paused_until - c.t) * 1000
          else (${need} - c.available) / ${this.#perSecond}::float8 * 1000
        end::float8 as wait_ms
        from current c`.execute(this.#db);
      // No bucket (it was removed since): make it again rather than let the request through unpaced.
      if (taken.rows.length === 0) {
        knownBuckets.get(this.#db)?.delete(this.#bucket);
        await this.#ensureBucket();
        continue;
      }
      const waitMs = taken.rows[0]!.wait_ms;
      if (waitMs <= 0) return endNothing;
      // A little jitter keeps the workers that were refused together from all asking again at once.
      await sleep(waitMs + Math.random() * Math.min(50, waitMs), undefined, { signal });
    }
  }

  async slowDown(ms: number): Promise<void> {
    await sql`
      update provider_rate_limits
      set paused_until = greatest(coalesce(paused_until, '-infinity'), clock_timestamp() + ${ms} * interval '1 millisecond'),
        tokens = least(tokens, 0)
      where provider = ${this.#bucket}`.execute(this.#db);
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ReleaseTurn, RequestLimiter } from '../http/limiter.ts';

/**
 * A lease outlives any request Satchel sends (their answers are read within a minute or fail), so a worker that
 * dies holding one blocks its slot for this long at most.
 */
const LEASE_MS = 120_000;
/** How long a request waits before looking for a free slot again. */
const RETRY_MS = 50;

/**
 * At most `max` requests in flight per bucket (a provider instance) across every worker process: each request
 * leases one of `max` slot rows in PostgreSQL for its duration. For providers that ask for a concurrency cap
 * instead of a rate (Jamf: five connections per instance).
 */
export class SharedConcurrencyLimiter implements RequestLimiter {
  readonly #db: Kysely<DB>;
  readonly #bucket: string;
  readonly #max: number;
  #slotsMade: Promise<void> | null = null;
  /** Set by a "too many requests" answer: no slot is handed out before it. */
  #pausedUntil = 0;

  constructor(db: Kysely<DB>, bucket: string, max: number) {
    this.#db = db;
    this.#bucket = bucket;
    this.#max = max;
  }

  #makeSlots(): Promise<void> {
    this.#slotsMade ??= this.#db
      .insertInto('provider_request_slots')
      .values(Array.from({ length: this.#max }, (_, slot) => ({ bucket: this.#bucket, slot })))
      .onConflict((oc) => oc.columns(['bucket', 'slot']).doNothing())
      .execute()
      .then(
        () => undefined,
        (error: unknown) => {
          this.#slotsMade = null;
          throw error;
        },
      );
    return this.#slotsMade;
  }

  async acquire(signal: AbortSignal): Promise<ReleaseTurn> {
    await this.#makeSlots();
    for (;;) {
      signal.throwIfAborted();
      const wait = this.#pausedUntil - Date.now();
      if (wait > 0) await sleep(wait, undefined, { signal });
      const slot = await this.#leaseFreeSlot();
      if (slot !== null) return () => this.#release(slot);
      await sleep(RETRY_MS + Math.random() * RETRY_MS, undefined, { signal });
    }
  }

  async #leaseFreeSlot(): Promise<number | null> {
    const { rows } = await sql<{ slot: number }>`
      update provider_request_slots s set leased_until = clock_timestamp() + ${LEASE_MS} * interval '1 millisecond'
      where (s.bucket, s.slot) = (
        select bucket, slot from provider_request_slots
        where bucket = ${this.#bucket} and slot < ${this.#max}
          and (leased_until is null or leased_until < clock_timestamp())
        order by slot limit 1 for update skip locked)
      returning s.slot`.execute(this.#db);
    return rows[0]?.slot ?? null;
  }

  #release(slot: number): void {
    // Not awaited by the request: its answer is in, and a lease left behind expires on its own.
    this.#db
      .updateTable('provider_request_slots')
      .set({ leased_until: null })
      .where('bucket', '=', this.#bucket)
      .where('slot', '=', slot)
      .execute()
      .catch(() => undefined);
  }

  async slowDown(ms: number): Promise<void> {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms);
  }
}

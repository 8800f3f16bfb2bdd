import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import { hmac } from './crypto.ts';

/**
 * Failed sign-ins are counted per account and address. After `FREE_FAILURES` in a row, that address waits
 * before its next try for that account: 30 seconds, doubling with each further failure, up to 15 minutes.
 * The wait binds only the address that failed, so a stranger guessing elsewhere never keeps the account's
 * owner out; the per-address request limit bounds guessing across many accounts.
 */
export const FREE_FAILURES = 5;
const FIRST_WAIT_MS = 30_000;
const LONGEST_WAIT_MS = 15 * 60_000;
/** Counts nobody has added to for a day start again from zero. */
const FORGET_AFTER_MS = 24 * 60 * 60_000;

export function waitAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_FAILURES));
}

/** Keyed, so the table says nothing about which emails or addresses were tried. */
export function throttleKey(secretKey: Buffer, email: string, ip: string | null): string {
  return hmac(secretKey, 'sign-in-throttle', `${email.toLowerCase()}\0${ip ?? ''}`);
}

export async function isThrottled(db: Kysely<DB>, key: string, now = new Date()): Promise<boolean> {
  const row = await db
    .selectFrom('sign_in_throttles')
    .select('blocked_until')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.blocked_until != null && row.blocked_until.getTime() > now.getTime();
}

export async function recordFailure(db: Kysely<DB>, key: string): Promise<number> {
  const row = await db
    .insertInto('sign_in_throttles')
    .values({ key, failures: 1, blocked_until: null, last_failure_at: sql<Date>`now()` })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({
        failures: sql<number>`case when sign_in_throttles.last_failure_at < now() - make_interval(secs => ${FORGET_AFTER_MS / 1000})
          then 1 else sign_in_throttles.failures + 1 end`,
        last_failure_at: sql<Date>`now()`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  const wait = waitAfter(row.failures);
  if (wait > 0) {
    await db
      .updateTable('sign_in_throttles')
      .set({ blocked_until: sql<Date>`now() + make_interval(secs => ${wait / 1000})` })
      .where('key', '=', key)
      .execute();
  }
  return row.failures;
}

export async function clearFailures(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('sign_in_throttles').where('key', '=', key).execute();
}

export async function forgetOldFailures(db: Kysely<DB>): Promise<number> {
  const result = await db
    .deleteFrom('sign_in_throttles')
    .where('last_failure_at', '<', new Date(Date.now() - FORGET_AFTER_MS))
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', new Date())]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

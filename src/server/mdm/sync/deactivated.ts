import type { Kysely } from 'kysely';
import { SYNCING_STATES } from '../../../common/mdm.ts';
import type { DB } from '../../db/schema.ts';

/** The connection was found deactivated: the run stops and sends the provider nothing more. */
export class Deactivated extends Error {}

/** Read at every page boundary, before the next request: the state alone, as cheaply as it can be read. */
export async function stillActive(db: Kysely<DB>, districtId: string, provider: string): Promise<boolean> {
  const row = await db
    .selectFrom('mdm_connections')
    .select('state')
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return row !== undefined && SYNCING_STATES.includes(row.state);
}

/**
 * Whether the connection is still active, remembering when it was last seen so (`seenAt`, from
 * `performance.now()`): a request whose turn comes long after that asks again (see `activeLimiter`).
 */
export function activeWatch(db: Kysely<DB>, districtId: string, provider: string) {
  const watch = {
    seenAt: performance.now(),
    async confirm(): Promise<boolean> {
      const asked = performance.now();
      const active = await stillActive(db, districtId, provider);
      if (active) watch.seenAt = asked;
      return active;
    },
  };
  return watch;
}
export type ActiveWatch = ReturnType<typeof activeWatch>;

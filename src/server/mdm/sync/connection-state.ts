import type { Kysely, Transaction } from 'kysely';
import type { ConnectionState, DB } from '../../db/schema.ts';
import type { SyncCounters } from './runs.ts';

/** The connection as the sync engine sees it (state, settings, encrypted secret and access cache). */
export function connectionState(db: Kysely<DB>, districtId: string, provider: string) {
  return db
    .selectFrom('mdm_connections')
    .select(['id', 'state', 'settings', 'secret', 'access_cache'])
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .executeTakeFirst();
}

/** Keeps the provider's short-lived credential, unless the connection was authorized anew (or left) meanwhile. */
export async function storeAccessCache(
  db: Kysely<DB>,
  connection: { id: string; secret: string },
  accessCache: string,
): Promise<void> {
  await db
    .updateTable('mdm_connections')
    .set({ access_cache: accessCache })
    .where('id', '=', connection.id)
    .where('secret', '=', connection.secret)
    .execute();
}

/** The tile's last-sync summary; a failure also moves the connection to `error` or `needs_reauthorization`. */
export async function recordSyncOutcome(
  db: Kysely<DB> | Transaction<DB>,
  outcome: {
    districtId: string;
    provider: string;
    runId: string;
    state: 'succeeded' | 'failed';
    counters: SyncCounters;
    strategy?: string | null;
    error?: string;
    connectionState?: ConnectionState;
  },
): Promise<void> {
  const summary = {
    runId: outcome.runId,
    state: outcome.state,
    at: new Date().toISOString(),
    counters: outcome.counters,
    error: outcome.error ?? null,
  };
  await db
    .updateTable('mdm_connections')
    .set({
      last_sync: JSON.stringify(summary),
      ...(outcome.connectionState
        ? {
            state: outcome.connectionState,
            status_reason: `${outcome.error} (${summary.at})`,
            status_changed_at: new Date(),
          }
        : {}),
    })
    .where('district_id', '=', outcome.districtId)
    .where('provider', '=', outcome.provider)
    // Only an active connection changes state here; a deactivation in the meantime wins.
    .where((eb) => (outcome.connectionState ? eb('state', 'in', ['active', 'error']) : eb.val(true)))
    .execute();
  if (outcome.state === 'succeeded') {
    await db
      .updateTable('mdm_connections')
      .set({ state: 'active', status_reason: null, status_changed_at: new Date() })
      .where('district_id', '=', outcome.districtId)
      .where('provider', '=', outcome.provider)
      .where('state', '=', 'error')
      .execute();
  }
}

import { hash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DeviceIdentityKeys, ProviderDevice } from '../provider.ts';
import { recordSearchText } from './search-text.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface MatchedDevice {
  deviceId: string;
  device: ProviderDevice;
}

/** One array parameter instead of a thousand: cheaper to send and to plan than a long IN list. */
function anyId(ids: readonly string[]) {
  return sql<string>`any(${ids}::uuid[])`;
}

/** What a record stores from the provider, as JSON: hashed to tell changes apart, and sent as the row. */
function contentOf(device: ProviderDevice): string {
  return JSON.stringify([device.providerDeviceId, device.fields, device.extras]);
}

function newer(a: ProviderDevice, b: ProviderDevice): boolean {
  return (a.fields.lastCheckInAt ?? '') > (b.fields.lastCheckInAt ?? '');
}

/**
 * Re-enrolments leave several provider devices with one serial: the one that checked in last wins, and the
 * others' ids are kept with it instead of flip-flopping between them on every sync.
 */
export function resolveDuplicates(matches: MatchedDevice[]): MatchedDevice[] {
  const byDevice = new Map<string, { winner: MatchedDevice; others: string[] }>();
  for (const match of matches) {
    const current = byDevice.get(match.deviceId);
    if (!current) {
      byDevice.set(match.deviceId, { winner: match, others: [] });
    } else if (newer(match.device, current.winner.device)) {
      current.others.push(current.winner.device.providerDeviceId);
      current.winner = match;
    } else {
      current.others.push(match.device.providerDeviceId);
    }
  }
  return [...byDevice.values()].map(({ winner, others }) =>
    others.length === 0
      ? winner
      : {
          ...winner,
          device: {
            ...winner.device,
            extras: { ...winner.device.extras, duplicateDeviceIds: others.sort() },
          },
        },
  );
}

/** A matched device's record as it would be stored: its content serialised and hashed once. */
export interface PreparedRecord {
  deviceId: string;
  lastCheckInAt: string;
  content: string;
  hash: string;
  /** What the device search finds the record by (migration 0017). */
  searchText: string;
}

/**
 * The work a page's records take before the database sees them (duplicates resolved, content serialised and
 * hashed). It needs no database, so a run does it for the next page while the current one is being written.
 */
export function prepareRecords(matches: MatchedDevice[], identity: DeviceIdentityKeys): PreparedRecord[] {
  return resolveDuplicates(matches).map(({ deviceId, device }) => {
    const content = contentOf(device);
    return {
      deviceId,
      lastCheckInAt: device.fields.lastCheckInAt ?? '',
      content,
      hash: hash('sha256', content, 'base64url'),
      searchText: recordSearchText(device, identity),
    };
  });
}

/**
 * One page: records whose content changed are upserted; unchanged ones are only stamped with the run that saw
 * them (so the not-found pass can tell them apart) and keep their `updated_at`.
 */
export async function writePage(
  db: Transaction<DB>,
  page: { districtId: string; provider: string; runId: string; fetchedAt: Date; records: PreparedRecord[] },
): Promise<{ changed: number; unchanged: number }> {
  const { records } = page;
  if (records.length === 0) return { changed: 0, unchanged: 0 };
  const existing = new Map(
    (
      await db
        .selectFrom('mdm_device_records')
        .select([
          'device_id',
          'content_hash',
          'match_state',
          'seen_by_run_id',
          sql<string | null>`fields->>'lastCheckInAt'`.as('last_check_in'),
        ])
        .where('provider', '=', page.provider)
        .where('device_id', '=', anyId(records.map((record) => record.deviceId)))
        .execute()
    ).map((row) => [row.device_id, row]),
  );
  const changed: PreparedRecord[] = [];
  const unchanged: string[] = [];
  for (const record of records) {
    const stored = existing.get(record.deviceId);
    // Seen earlier in this run (a duplicate on another page) with a later check-in: keep that one.
    if (stored?.seen_by_run_id === page.runId && (stored.last_check_in ?? '') >= record.lastCheckInAt)
      continue;
    if (stored && stored.content_hash === record.hash && stored.match_state === 'matched')
      unchanged.push(record.deviceId);
    else changed.push(record);
  }
  if (changed.length > 0) {
    // Each row is [device id, provider device id, fields, extras, hash, search text], written around the content
    // already serialised for the hash rather than serialising the fields a second time.
    const rows = `[${changed
      .map(
        (row) =>
          `[${JSON.stringify(row.deviceId)},${row.content.slice(1, -1)},${JSON.stringify(row.hash)},${JSON.stringify(row.searchText)}]`,
      )
      .join(',')}]`;
    await sql`
      insert into mdm_device_records (district_id, device_id, provider, provider_device_id, fields, extras, content_hash,
        match_state, fetched_at, seen_by_run_id, search_text)
      select ${page.districtId}::uuid, (v.item->>0)::uuid, ${page.provider}, v.item->>1, v.item->2, v.item->3, v.item->>4,
        'matched', ${page.fetchedAt}, ${page.runId}::uuid, v.item->>5
      from jsonb_array_elements(${rows}::jsonb) as v(item)
      on conflict (device_id, provider) do update set provider_device_id = excluded.provider_device_id,
        fields = excluded.fields, extras = excluded.extras, content_hash = excluded.content_hash,
        match_state = 'matched', fetched_at = excluded.fetched_at, seen_by_run_id = excluded.seen_by_run_id,
        search_text = excluded.search_text, updated_at = now()`.execute(db);
  }
  if (unchanged.length > 0) {
    await db
      .updateTable('mdm_device_records')
      .set({ seen_by_run_id: page.runId, fetched_at: page.fetchedAt })
      .where('provider', '=', page.provider)
      .where('device_id', '=', anyId(unchanged))
      .execute();
  }
  return { changed: changed.length, unchanged: unchanged.length };
}

/**
 * After a complete pass only: the tracked devices the run did not see are `not_found` (new rows for those
 * never seen, updates for those seen before). A run that stopped part-way never gets here. Returns how many
 * tracked devices the provider does not know as of this pass: every unseen one.
 */
export async function markNotFound(
  db: Executor,
  scope: {
    districtId: string;
    provider: string;
    runId: string;
    unseenDeviceIds: readonly string[];
    fetchedAt: Date;
  },
): Promise<number> {
  if (scope.unseenDeviceIds.length === 0) return 0;
  await sql`
    update mdm_device_records set match_state = 'not_found', updated_at = now()
    where district_id = ${scope.districtId}::uuid and provider = ${scope.provider}
      and seen_by_run_id is distinct from ${scope.runId}::uuid and match_state = 'matched'
      and device_id = ${anyId(scope.unseenDeviceIds)}`.execute(db);
  // Only the devices without a record yet get one; those with one were dealt with above.
  await sql`
    insert into mdm_device_records (district_id, device_id, provider, match_state, fetched_at, seen_by_run_id)
    select ${scope.districtId}::uuid, t.id, ${scope.provider}, 'not_found', ${scope.fetchedAt}, ${scope.runId}::uuid
    from unnest(${scope.unseenDeviceIds}::uuid[]) as t(id)
    where not exists (
      select 1 from mdm_device_records r where r.device_id = t.id and r.provider = ${scope.provider})
    on conflict (device_id, provider) do nothing`.execute(db);
  return scope.unseenDeviceIds.length;
}

/** Any fixed number, for the advisory lock that keeps statistics refreshes from queueing behind each other. */
const STATISTICS_LOCK = 0x5a7c4e1;

/**
 * Embedded PGlite runs no autovacuum (nor does a server with it off): without statistics, list filters and
 * reports over the records get plans that re-read them for every device. A run that rewrote a tenth of the
 * table or more refreshes them, unless another run is at it already: with hundreds of districts syncing,
 * each run analysing the shared table in turn would queue them all behind one another.
 */
export async function refreshRecordStatistics(db: Kysely<DB>, rewritten: number): Promise<void> {
  if (rewritten === 0) return;
  const { rows } = await sql<{ tuples: number }>`
    select reltuples::float8 as tuples from pg_class where oid = 'mdm_device_records'::regclass`.execute(db);
  const tuples = rows[0]?.tuples ?? -1;
  // A table never analysed says -1.
  if (tuples >= 0 && rewritten * 10 < tuples) return;
  await db.transaction().execute(async (trx) => {
    const lock = await sql<{
      held: boolean;
    }>`select pg_try_advisory_xact_lock(${STATISTICS_LOCK}) as held`.execute(trx);
    if (!lock.rows[0]?.held) return;
    // The columns that size the joins and filters; the JSON documents would triple the time it takes.
    await sql`analyze mdm_device_records (district_id, device_id, provider, match_state)`.execute(trx);
  });
}

/** The tracked devices a run has stamped so far: what a resumed run carries on from. */
export async function seenByRun(db: Executor, provider: string, runId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('mdm_device_records')
    .select('device_id')
    .where('seen_by_run_id', '=', runId)
    .where('provider', '=', provider)
    .where('match_state', '=', 'matched')
    .execute();
  return rows.map((row) => row.device_id);
}

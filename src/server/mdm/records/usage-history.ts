import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { defineJob } from '../../jobs/queue.ts';

/**
 * Who used a device and from which network address, as the MDM last reported it: the normalized fields and
 * the provider extras that carry it. A district keeps it for its chosen number of days after the record was
 * last fetched (90 unless it chose otherwise); a device the provider still reports gets it fresh at each sync.
 */
const HISTORY_FIELDS = { recentUsers: [], ipAddress: null };
const HISTORY_EXTRAS = ['lastKnownNetwork', 'reportedIpAddress'];

export async function forgetOldUsageHistory(db: Kysely<DB>): Promise<number> {
  const extras = sql.raw(`array[${HISTORY_EXTRAS.map((key) => `'${key}'`).join(', ')}]::text[]`);
  const result = await sql`
    update mdm_device_records r
    set fields = r.fields || ${JSON.stringify(HISTORY_FIELDS)}::jsonb,
        extras = r.extras - ${extras},
        content_hash = null
    from districts d
    where d.id = r.district_id
      and r.fetched_at < now() - make_interval(days => d.mdm_history_retention_days)
      and (r.fields->'recentUsers' <> '[]'::jsonb or r.fields->>'ipAddress' is not null or r.extras ?| ${extras})`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Records that were removed and came back from a sync already under way: a provider the district disconnected
 * (Disconnect deletes its records at once), or records written by a run begun before Remove synced data. A
 * page being written at that moment can still land afterwards; this takes it away within the hour.
 */
export async function purgeRemovedRecords(db: Kysely<DB>): Promise<number> {
  const disconnected = await db
    .deleteFrom('mdm_device_records as r')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('mdm_connections as c')
            .select('c.id')
            .whereRef('c.district_id', '=', 'r.district_id')
            .whereRef('c.provider', '=', 'r.provider')
            .where((eb) => eb.or([eb('c.secret', 'is not', null), eb('c.authorized_at', 'is not', null)])),
        ),
      ),
    )
    .executeTakeFirst();
  const lateWrites = await sql`
    delete from mdm_device_records r
    using sync_runs s, mdm_connections c
    where s.id = r.seen_by_run_id and c.id = s.connection_id
      and c.district_id = r.district_id and c.provider = r.provider
      and c.data_removed_at is not null and coalesce(s.started_at, s.queued_at) < c.data_removed_at`.execute(
    db,
  );
  return Number(disconnected.numDeletedRows) + Number(lateWrites.numAffectedRows ?? 0);
}

/** Nightly: usage history past each district's retention. */
export const forgetUsageHistory = defineJob({
  name: 'mdm.forget-usage-history',
  policy: 'singleton',
  options: { retryLimit: 2, expireInSeconds: 1800 },
  cron: '23 2 * * *',
  async handle({ database, log }) {
    const records = await forgetOldUsageHistory(database.db);
    log.info({ records }, 'forgot MDM usage history past its retention');
  },
});

/** Hourly: what a sync wrote after its provider was disconnected or its data removed. */
export const purgeRemovedData = defineJob({
  name: 'mdm.purge-removed',
  policy: 'singleton',
  options: { retryLimit: 2, expireInSeconds: 600 },
  cron: '41 * * * *',
  async handle({ database, log }) {
    const records = await purgeRemovedRecords(database.db);
    if (records > 0) log.info({ records }, 'purged records written after their removal');
  },
});

import { type Kysely, sql } from 'kysely';

/**
 * The device list's MDM date filters and sorts read these fields of the records the provider still returns,
 * as ISO text or null (src/server/inventory/device-mdm.ts `knownIso`, the same expression). Indexed, a sort
 * walks them in order instead of sorting the whole fleet, a date filter reads a range, and PostgreSQL keeps
 * statistics on the values, so it can tell a rare expiration from a common one.
 */
function knownIso(key: string) {
  return sql.raw(
    `(case when (fields->>'${key}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' then (fields->>'${key}') end)`,
  );
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index mdm_device_records_check_in_idx on mdm_device_records (district_id, provider, ${knownIso('lastCheckInAt')}) where match_state = 'matched'`.execute(
    db,
  );
  await sql`create index mdm_device_records_aue_idx on mdm_device_records (district_id, provider, ${knownIso('autoUpdateExpiration')}) where match_state = 'matched'`.execute(
    db,
  );
}

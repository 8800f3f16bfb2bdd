import { type Kysely, sql } from 'kysely';
import type { DB } from '../../src/server/db/schema.ts';

/** Every inventory row of the district, as a digest that any change (insert, update, delete) moves. */
export async function inventorySnapshot(db: Kysely<DB>, districtId: string) {
  const result = await sql<{ rows: number; digest: string }>`
    select count(*)::int as rows, md5(coalesce(string_agg(id::text || serial_key || status || coalesce(updated_at::text, ''), ',' order by id), '')) as digest
    from devices where district_id = ${districtId}`.execute(db);
  return result.rows[0];
}

/** The MDM records stored for the district's devices (of one provider, when given). */
export function storedRecords(db: Kysely<DB>, districtId: string, provider?: string) {
  return db
    .selectFrom('mdm_device_records')
    .select([
      'device_id',
      'match_state',
      'content_hash',
      'updated_at',
      'fields',
      'extras',
      'provider_device_id',
    ])
    .where('district_id', '=', districtId)
    .$if(provider !== undefined, (query) => query.where('provider', '=', provider as string))
    .orderBy('device_id')
    .execute();
}

import { type Kysely, sql } from 'kysely';

/**
 * The device search also finds devices by their MDM data (user, asset ID, device name, MAC address, the
 * provider's device id). The sync writer keeps each record's searchable values as one normalized text
 * (src/common/search-text.ts), and a trigram index answers `like '%…%'` on it without reading every record.
 *
 * Records stored before this change get a text from every string the provider kept about them, and lose their
 * content hash, so the next sync of an active provider rewrites each with exactly its provider's searchable
 * fields; records of a provider that no longer syncs stay searchable by the wider text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mdm_device_records add column search_text text not null default ''`.execute(db);
  await sql`
    update mdm_device_records set content_hash = null, search_text = coalesce(lower(concat_ws(E'\n',
      provider_device_id,
      fields->>'primaryUser',
      (select string_agg(u.value, E'\n') from jsonb_array_elements_text(
        case when jsonb_typeof(fields->'recentUsers') = 'array' then fields->'recentUsers' else '[]' end) as u(value)),
      (select string_agg(regexp_replace(m.value, '[^0-9a-fA-F]', '', 'g'), E'\n') from jsonb_array_elements_text(
        case when jsonb_typeof(fields->'macAddresses') = 'array' then fields->'macAddresses' else '[]' end) as m(value)),
      (select string_agg(e.value, E'\n') from jsonb_each_text(extras) as e(key, value)
        where jsonb_typeof(extras->e.key) = 'string')
    )), '')`.execute(db);
  await sql`create index mdm_device_records_search_idx on mdm_device_records using gin (search_text gin_trgm_ops)`.execute(
    db,
  );
}

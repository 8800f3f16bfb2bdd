import { type Kysely, sql } from 'kysely';

/**
 * - The audit log pages by (time, id), so its index carries the id too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index audit_events_district_time_idx`.execute(db);
  await sql`create index audit_events_district_time_idx on audit_events (district_id, created_at desc, id desc)`.execute(
    db,
  );
}

import { type Kysely, sql } from 'kysely';

/**
 * Every run stamps each record it saw, changed or not (`seen_by_run_id`, `fetched_at`). With full pages each
 * stamp wrote a new row version elsewhere and a new entry in all four indexes; with room left on the page,
 * PostgreSQL updates the row in place (a HOT update) and the indexes stay as they are. New pages get the room;
 * older ones as they are rewritten.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mdm_device_records set (fillfactor = 70)`.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * A record is one (device, provider) pair, and every read and write names it by that pair. The surrogate
 * `id` was never read, yet each inserted record paid for a random uuid and an insert into its index.
 * The (device_id, provider) unique index becomes the primary key instead.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mdm_device_records drop constraint mdm_device_records_pkey`.execute(db);
  await sql`alter table mdm_device_records drop column id`.execute(db);
  await sql`alter table mdm_device_records add constraint mdm_device_records_pkey primary key using index mdm_device_records_device_key`.execute(
    db,
  );
}

import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Lets a record reference (district, device) together, so it cannot point at another district's device.
  await sql`alter table devices add constraint devices_district_device_key unique (district_id, id)`.execute(
    db,
  );

  await db.schema
    .createTable('mdm_device_records')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('district_id', 'uuid', (col) => col.notNull())
    .addColumn('device_id', 'uuid', (col) => col.notNull())
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('provider_device_id', 'text')
    .addColumn('fields', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('extras', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('content_hash', 'text')
    .addColumn('match_state', 'text', (col) =>
      col.notNull().check(sql`match_state in ('matched', 'not_found')`),
    )
    .addColumn('fetched_at', 'timestamptz', (col) => col.notNull())
    .addColumn('seen_by_run_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    // A record can never exist without its inventory device: it goes when the device goes.
    .addForeignKeyConstraint(
      'mdm_device_records_device_fk',
      ['district_id', 'device_id'],
      'devices',
      ['district_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await sql`create unique index mdm_device_records_device_key on mdm_device_records (device_id, provider)`.execute(
    db,
  );
  await sql`create index mdm_device_records_provider_idx on mdm_device_records (district_id, provider, match_state)`.execute(
    db,
  );
}

import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Trigram indexes make the device search box (substring match on serial, tag, model, person) fast.
  await sql`create extension if not exists pg_trgm`.execute(db);

  await db.schema
    .createTable('schools')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('district_id', 'uuid', (col) => col.notNull().references('districts.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('code', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index schools_name_key on schools (district_id, lower(name))`.execute(db);
  await sql`create unique index schools_code_key on schools (district_id, lower(code)) where code is not null`.execute(
    db,
  );

  await db.schema
    .createTable('people')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('district_id', 'uuid', (col) => col.notNull().references('districts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('student', 'staff')`))
    .addColumn('external_id', 'text')
    .addColumn('email', 'text')
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('grade', 'text')
    .addColumn('school_id', 'uuid', (col) => col.references('schools.id').onDelete('set null'))
    .addColumn('active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index people_external_id_key on people (district_id, external_id) where external_id is not null`.execute(
    db,
  );
  await sql`create unique index people_email_key on people (district_id, lower(email)) where email is not null`.execute(
    db,
  );
  await sql`create index people_name_idx on people (district_id, name)`.execute(db);
  await sql`create index people_search_idx on people using gin ((name || ' ' || coalesce(email, '') || ' ' || coalesce(external_id, '')) gin_trgm_ops)`.execute(
    db,
  );

  await db.schema
    .createTable('devices')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('district_id', 'uuid', (col) => col.notNull().references('districts.id').onDelete('cascade'))
    .addColumn('serial_number', 'text', (col) => col.notNull())
    .addColumn('serial_key', 'text', (col) => col.notNull())
    .addColumn('asset_tag', 'text')
    .addColumn('model', 'text')
    .addColumn('manufacturer', 'text')
    .addColumn('type', 'text', (col) =>
      col.notNull().check(sql`type in ('chromebook', 'laptop', 'tablet', 'desktop', 'hotspot', 'other')`),
    )
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .check(sql`status in ('in_service', 'spare', 'in_repair', 'lost', 'stolen', 'retired', 'disposed')`),
    )
    .addColumn('school_id', 'uuid', (col) => col.references('schools.id').onDelete('set null'))
    .addColumn('assigned_person_id', 'uuid', (col) => col.references('people.id'))
    .addColumn('purchase_date', 'date')
    .addColumn('warranty_end', 'date')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'devices_serial_key_normalized',
      sql`serial_key <> '' and serial_key = upper(serial_key)`,
    )
    .execute();
  await sql`create unique index devices_serial_key_key on devices (district_id, serial_key)`.execute(db);
  await sql`create unique index devices_asset_tag_key on devices (district_id, lower(asset_tag)) where asset_tag is not null`.execute(
    db,
  );
  await sql`create index devices_status_idx on devices (district_id, status, serial_key)`.execute(db);
  await sql`create index devices_school_idx on devices (district_id, school_id, serial_key)`.execute(db);
  // Sortable columns end in serial_key, the list's tie-break, so a page is read in index order.
  await sql`create index devices_model_idx on devices (district_id, model, serial_key)`.execute(db);
  await sql`create index devices_asset_tag_idx on devices (district_id, asset_tag, serial_key)`.execute(db);
  await sql`create index devices_created_idx on devices (district_id, created_at, serial_key)`.execute(db);
  await sql`create index devices_updated_idx on devices (district_id, updated_at, serial_key)`.execute(db);
  await sql`create index devices_assigned_idx on devices (assigned_person_id) where assigned_person_id is not null`.execute(
    db,
  );
  await sql`create index devices_search_idx on devices using gin ((serial_key || ' ' || coalesce(asset_tag, '') || ' ' || coalesce(model, '')) gin_trgm_ops)`.execute(
    db,
  );

  await db.schema
    .createTable('assignments')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('district_id', 'uuid', (col) => col.notNull().references('districts.id').onDelete('cascade'))
    .addColumn('device_id', 'uuid', (col) => col.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (col) => col.notNull().references('people.id').onDelete('cascade'))
    .addColumn('checked_out_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('checked_out_by', 'text', (col) => col.notNull())
    .addColumn('checked_in_at', 'timestamptz')
    .addColumn('checked_in_by', 'text')
    .addColumn('check_in_note', 'text')
    .execute();
  // One open assignment per device, enforced by the database.
  await sql`create unique index assignments_open_key on assignments (device_id) where checked_in_at is null`.execute(
    db,
  );
  await sql`create index assignments_device_idx on assignments (device_id, checked_out_at desc)`.execute(db);
  await sql`create index assignments_person_idx on assignments (person_id, checked_out_at desc)`.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * Two district-facing settings:
 * - `saved_views`: a person's named views of a list (its filters and columns), private to them. The filters are
 *   kept as the list's own address query, so a view opens exactly as the link it was saved from.
 * - `districts.time_zone`: the IANA zone the district works in, for times written into exports. Districts set up
 *   before it existed have none until an administrator picks one; exports use UTC meanwhile.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('saved_views')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('district_id', 'uuid', (col) => col.notNull().references('districts.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('list', 'text', (col) => col.notNull().check(sql`list in ('devices')`))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('filters', 'text', (col) => col.notNull())
    .addColumn('columns', 'jsonb', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index saved_views_name_key on saved_views (user_id, list, lower(name))`.execute(db);
  await sql`create index saved_views_district on saved_views (district_id)`.execute(db);

  await sql`alter table districts add column time_zone text`.execute(db);
}

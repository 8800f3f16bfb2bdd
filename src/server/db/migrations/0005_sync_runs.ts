import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_runs')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('district_id', 'uuid', (col) => col.notNull().references('districts.id').onDelete('cascade'))
    .addColumn('connection_id', 'uuid', (col) =>
      col.notNull().references('mdm_connections.id').onDelete('cascade'),
    )
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('trigger', 'text', (col) =>
      col.notNull().check(sql`trigger in ('schedule', 'manual', 'authorization')`),
    )
    .addColumn('strategy', 'text')
    .addColumn('estimate', 'jsonb')
    .addColumn('state', 'text', (col) =>
      col.notNull().check(sql`state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')`),
    )
    .addColumn('counters', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('checkpoint', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('queued_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await sql`create index sync_runs_connection_idx on sync_runs (connection_id, queued_at desc)`.execute(db);
  // At most one unfinished run per connection.
  await sql`create unique index sync_runs_open_key on sync_runs (connection_id) where state in ('queued', 'running')`.execute(
    db,
  );
  await sql`alter table mdm_connections add column next_sync_at timestamptz`.execute(db);
}

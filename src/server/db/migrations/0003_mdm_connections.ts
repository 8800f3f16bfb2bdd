import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mdm_connections')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('district_id', 'uuid', (col) => col.notNull().references('districts.id').onDelete('cascade'))
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) =>
      col
        .notNull()
        .check(sql`state in ('inactive', 'needs_authorization', 'active', 'needs_reauthorization', 'error')`),
    )
    .addColumn('settings', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    // Envelope-encrypted (secrets/envelope.ts), bound to this row; null when nothing is stored.
    .addColumn('secret', 'text')
    .addColumn('secret_key_id', 'text')
    .addColumn('auth_method', 'text')
    .addColumn('authorized_account', 'text')
    .addColumn('authorized_at', 'timestamptz')
    .addColumn('granted_scopes', 'text')
    .addColumn('status_reason', 'text')
    .addColumn('status_changed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_sync', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index mdm_connections_provider_key on mdm_connections (district_id, provider)`.execute(
    db,
  );
  await sql`create index mdm_connections_secret_key_idx on mdm_connections (secret_key_id) where secret is not null`.execute(
    db,
  );

  await db.schema
    .createTable('oauth_states')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('state_hash', 'text', (col) => col.notNull().unique())
    .addColumn('district_id', 'uuid', (col) => col.notNull().references('districts.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('session_id', 'uuid', (col) => col.notNull())
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('code_verifier', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('consumed_at', 'timestamptz')
    .execute();
}

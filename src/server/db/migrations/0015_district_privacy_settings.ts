import { type Kysely, sql } from 'kysely';

/**
 * District settings for what a data-privacy agreement asks about:
 * - the longest an API token may live (a year unless the district chooses otherwise); tokens made before
 *   there was a limit get a year from now rather than stopping at once;
 * - how many days the history of who used a device and from which address (read from the MDM) is kept;
 * - when a provider's synced data was last removed, so that a page a running sync writes afterwards is removed
 *   too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table districts
      add column token_max_lifetime_days integer not null default 365
        check (token_max_lifetime_days between 1 and 3650),
      add column mdm_history_retention_days integer not null default 90
        check (mdm_history_retention_days between 1 and 3650)`.execute(db);
  await sql`update api_tokens set expires_at = now() + interval '365 days' where expires_at is null`.execute(
    db,
  );
  await sql`alter table api_tokens alter column expires_at set not null`.execute(db);
  await sql`alter table mdm_connections add column data_removed_at timestamptz`.execute(db);
}

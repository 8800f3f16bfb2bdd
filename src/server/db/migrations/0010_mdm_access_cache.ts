import { type Kysely, sql } from 'kysely';

/**
 * A connection's short-lived provider credential (an OAuth access token and its expiry), encrypted like the
 * secret it was obtained with: any worker process reuses it instead of asking the provider for its own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mdm_connections add column access_cache text`.execute(db);
}

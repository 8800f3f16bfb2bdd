import { type Kysely, sql } from 'kysely';

/**
 * One token bucket per provider, shared by every worker process: all districts that authorize Satchel's
 * OAuth client spend one quota. `paused_until` is set when the provider answers 429, and holds every worker.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table provider_rate_limits (
      provider text primary key,
      tokens double precision not null,
      refilled_at timestamptz not null,
      paused_until timestamptz
    )`.execute(db);
}

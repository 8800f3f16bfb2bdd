import { type Kysely, sql } from 'kysely';

/**
 * Two changes for the providers that came after Google:
 * - `provider_request_slots`: the requests in flight per provider instance, for providers that cap concurrency
 *   rather than rate (Jamf asks for at most five at once per instance). One row per slot, leased by the worker
 *   whose request holds it; a lease that outlives its worker expires.
 * - Request scope: connections made before the setting existed keep the planner they had (which may list the
 *   provider's whole fleet when that is cheaper); new ones default to asking only about tracked devices.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table provider_request_slots (
      bucket text not null,
      slot integer not null,
      leased_until timestamptz,
      primary key (bucket, slot)
    )`.execute(db);
  await sql`
    update mdm_connections
    set settings = settings || '{"requestScope":"fewest_calls"}'::jsonb
    where not settings ? 'requestScope'`.execute(db);
}

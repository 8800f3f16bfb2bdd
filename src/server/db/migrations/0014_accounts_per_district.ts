import { type Kysely, sql } from 'kysely';

/**
 * - The audit log pages by (time, id), so its index carries the id too.
 * - An email is unique within its district, not across the installation: one district can neither learn of
 *   nor reserve another's addresses.
 * - Failed sign-ins are counted per account and address instead of per account, so nobody can lock another
 *   person out of their account by guessing its password from elsewhere.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index audit_events_district_time_idx`.execute(db);
  await sql`create index audit_events_district_time_idx on audit_events (district_id, created_at desc, id desc)`.execute(
    db,
  );

  await sql`drop index users_email_key`.execute(db);
  await sql`create unique index users_district_email_key on users (district_id, lower(email))`.execute(db);
  await sql`create index users_email_idx on users (lower(email))`.execute(db);

  await sql`alter table users drop column failed_sign_ins, drop column locked_until`.execute(db);
  await sql`
    create table sign_in_throttles (
      key text primary key,
      failures integer not null,
      blocked_until timestamptz,
      last_failure_at timestamptz not null
    )`.execute(db);
}

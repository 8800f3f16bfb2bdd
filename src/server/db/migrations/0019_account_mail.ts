import { type Kysely, sql } from 'kysely';

/**
 * Mail for accounts:
 * - an invited person has no password until they accept (or signs in with their district's Google or
 *   Microsoft account and never gets one);
 * - invitation and password-reset links, stored as hashes, each for one user, expiring, used once;
 * - the notifications an administrator asked to be mailed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users alter column password_hash drop not null`.execute(db);
  await sql`
    alter table users
      add column notify_reauthorization boolean not null default false,
      add column notify_sync_failures boolean not null default false`.execute(db);
  await sql`
    create table account_links (
      id uuid primary key default gen_random_uuid(),
      district_id uuid not null references districts (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      purpose text not null check (purpose in ('invitation', 'password_reset')),
      token_hash text not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index account_links_user_idx on account_links (user_id, purpose)`.execute(db);
}

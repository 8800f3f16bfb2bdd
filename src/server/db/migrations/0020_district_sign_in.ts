import { type Kysely, sql } from 'kysely';

/**
 * How a district's people sign in: with Google (Workspace accounts of its domains) and/or Microsoft (its
 * Entra ID tenant), whether a first sign-in makes an account, and whether anyone but the first administrator
 * may still use a password. A district without a row signs in with passwords only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table district_sign_in (
      district_id uuid primary key references districts (id) on delete cascade,
      google_enabled boolean not null default false,
      microsoft_enabled boolean not null default false,
      microsoft_tenant_id text,
      allowed_domains text[] not null default '{}',
      jit_accounts boolean not null default false,
      default_role text not null default 'viewer'
        check (default_role in ('district_admin', 'technician', 'viewer')),
      password_sign_in text not null default 'everyone' check (password_sign_in in ('everyone', 'first_admin')),
      updated_at timestamptz not null default now()
    )`.execute(db);
}

import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, DistrictSignInTable } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export type SignInPolicyRow = Omit<DistrictSignInTable, 'updated_at'>;

export const NO_SINGLE_SIGN_ON = (districtId: string): SignInPolicyRow => ({
  district_id: districtId,
  google_enabled: false,
  microsoft_enabled: false,
  microsoft_tenant_id: null,
  allowed_domains: [],
  jit_accounts: false,
  default_role: 'viewer',
  password_sign_in: 'everyone',
});

export async function findSignInPolicy(db: Executor, districtId: string): Promise<SignInPolicyRow> {
  const row = await db
    .selectFrom('district_sign_in')
    .selectAll()
    .where('district_id', '=', districtId)
    .executeTakeFirst();
  if (!row) return NO_SINGLE_SIGN_ON(districtId);
  const { updated_at: _, ...policy } = row;
  return policy;
}

export async function saveSignInPolicy(db: Executor, policy: SignInPolicyRow): Promise<void> {
  const { district_id: _, ...values } = policy;
  await db
    .insertInto('district_sign_in')
    .values({ ...policy, updated_at: new Date() })
    .onConflict((oc) => oc.column('district_id').doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
}

/** Districts whose allowed domains include this one. */
export function findPoliciesByDomain(db: Executor, domain: string) {
  return db
    .selectFrom('district_sign_in')
    .selectAll()
    .where(sql<boolean>`${domain} = any(allowed_domains)`)
    .execute();
}

/** The district's first administrator still active: the break-glass account that keeps its password. */
export function findFirstAdmin(db: Executor, districtId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('district_id', '=', districtId)
    .where('role', '=', 'district_admin')
    .where('disabled_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export async function onlyDistrictId(db: Executor): Promise<string | undefined> {
  const rows = await db.selectFrom('districts').select('id').limit(2).execute();
  return rows.length === 1 ? rows[0]?.id : undefined;
}

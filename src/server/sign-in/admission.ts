import type { Kysely } from 'kysely';
import type { SignInProvider } from '../../common/sign-in.ts';
import { insertAuditEvent } from '../audit/queries.ts';
import { createSession, type NewSession } from '../auth/sessions.ts';
import type { DB } from '../db/schema.ts';
import * as users from '../users/queries.ts';
import type { SignInPolicyRow } from './queries.ts';

/** Why a verified sign-in was still turned away; the sign-in page explains each. */
export type Refusal =
  | 'not_enabled'
  | 'wrong_domain'
  | 'wrong_tenant'
  | 'no_account'
  | 'disabled'
  | 'email_unverified'
  | 'token_audience'
  | 'token_expired'
  | 'token_signature'
  | 'token_nonce'
  | 'token_invalid'
  | 'cancelled';

export class SignInRefused extends Error {
  readonly reason: Refusal;

  constructor(reason: Refusal) {
    super(reason);
    this.reason = reason;
  }
}

export interface VerifiedClaims {
  email: string;
  name: string;
  emailVerified: boolean;
  hd: string | undefined;
  tid: string | undefined;
}

/** The district's own checks on a verified ID token: Google's `hd` among its domains, Microsoft's `tid` its tenant. */
export function checkOrganization(
  provider: SignInProvider,
  policy: SignInPolicyRow,
  claims: VerifiedClaims,
): void {
  if (provider === 'google' ? !policy.google_enabled : !policy.microsoft_enabled)
    throw new SignInRefused('not_enabled');
  if (provider === 'google') {
    if (!claims.hd || !policy.allowed_domains.includes(claims.hd.toLowerCase()))
      throw new SignInRefused('wrong_domain');
    if (!claims.emailVerified) throw new SignInRefused('email_unverified');
  } else if (!claims.tid || claims.tid.toLowerCase() !== policy.microsoft_tenant_id) {
    throw new SignInRefused('wrong_tenant');
  }
}

/**
 * Who gets in: the district's active account with that email, or, when the district makes accounts on first
 * sign-in, a new one with its default role. A disabled account is refused whatever else holds.
 */
export async function admit(
  db: Kysely<DB>,
  provider: SignInProvider,
  policy: SignInPolicyRow,
  claims: VerifiedClaims,
  meta: { ip: string | null; userAgent: string | null },
): Promise<NewSession> {
  return db.transaction().execute(async (trx) => {
    let user = await users.findUserByEmailInDistrict(trx, policy.district_id, claims.email);
    if (user?.disabled_at) throw new SignInRefused('disabled');
    const created = !user;
    if (!user) {
      if (!policy.jit_accounts) throw new SignInRefused('no_account');
      user = await users.insertUser(trx, {
        district_id: policy.district_id,
        email: claims.email.toLowerCase(),
        name: claims.name || claims.email,
        role: policy.default_role,
        password_hash: null,
        updated_at: new Date(),
      });
    }
    await users.recordSuccessfulSignIn(trx, user.id);
    await insertAuditEvent(trx, {
      districtId: policy.district_id,
      actorUserId: user.id,
      actorLabel: user.email,
      action: 'auth.signed_in',
      subjectType: 'user',
      subjectId: user.id,
      details: { via: provider, accountCreated: created, role: user.role, userAgent: meta.userAgent },
      ip: meta.ip,
    });
    return createSession(trx, { districtId: policy.district_id, userId: user.id, ...meta });
  });
}

import type { Kysely, Transaction } from 'kysely';
import type { SignInProvider } from '../../common/sign-in.ts';
import type { DB } from '../db/schema.ts';
import { Forbidden } from '../errors.ts';
import { findFirstAdmin, findSignInPolicy, type SignInPolicyRow } from '../sign-in/queries.ts';

export interface SignInOptions {
  providers: SignInProvider[];
  passwordAllowed: boolean;
  /** Refuses, with the reason, when this user may not sign in with a password. */
  requirePassword(): Promise<void>;
}

export const PASSWORD_SIGN_IN_OFF =
  'Your district signs in with its Google or Microsoft accounts: use that button instead of a password';

export function enabledProviders(policy: SignInPolicyRow): SignInProvider[] {
  return [
    ...(policy.google_enabled ? (['google'] as const) : []),
    ...(policy.microsoft_enabled ? (['microsoft'] as const) : []),
  ];
}

/**
 * How a user of this district may sign in. Passwords stay for everyone unless the district switched them off,
 * and even then for its first administrator, the break-glass account for when single sign-on is down.
 */
export async function signInOptionsFor(
  db: Kysely<DB> | Transaction<DB>,
  districtId: string,
  userId: string,
): Promise<SignInOptions> {
  const policy = await findSignInPolicy(db, districtId);
  const passwordAllowed =
    policy.password_sign_in === 'everyone' || (await findFirstAdmin(db, districtId))?.id === userId;
  return {
    providers: enabledProviders(policy),
    passwordAllowed,
    requirePassword: async () => {
      if (!passwordAllowed) throw new Forbidden(PASSWORD_SIGN_IN_OFF);
    },
  };
}

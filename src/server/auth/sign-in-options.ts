import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

export type SignInProviderKey = 'google' | 'microsoft';

export interface SignInOptions {
  providers: SignInProviderKey[];
  passwordAllowed: boolean;
  /** Refuses, with the reason, when this user may not sign in with a password. */
  requirePassword(): Promise<void>;
}

/** How a user of this district may sign in: with a password, until the district turns on single sign-on. */
export async function signInOptionsFor(
  _db: Kysely<DB> | Transaction<DB>,
  _districtId: string,
  _userId: string,
): Promise<SignInOptions> {
  return { providers: [], passwordAllowed: true, requirePassword: async () => undefined };
}

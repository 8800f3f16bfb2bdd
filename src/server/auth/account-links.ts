import type { Kysely, Transaction } from 'kysely';
import type { AccountLinkPurpose, DB } from '../db/schema.ts';
import { Invalid } from '../errors.ts';
import * as queries from './account-link-queries.ts';
import { hashToken, newSecretToken } from './crypto.ts';

/** An invitation lasts a week; a password reset an hour (ASVS 2.5.x: short-lived, single use). */
const LIFETIME_MS: Record<AccountLinkPurpose, number> = {
  invitation: 7 * 86_400_000,
  password_reset: 3_600_000,
};

const PATHS: Record<AccountLinkPurpose, string> = {
  invitation: '/invitation',
  password_reset: '/reset-password',
};

/** A new link for the user, replacing any earlier one of the same purpose. Returns the URL to send. */
export async function issueAccountLink(
  db: Transaction<DB>,
  publicUrl: string,
  link: { districtId: string; userId: string; purpose: AccountLinkPurpose },
): Promise<string> {
  const token = newSecretToken('');
  await queries.retireAccountLinks(db, link.userId, link.purpose);
  await queries.insertAccountLink(db, {
    ...link,
    tokenHash: hashToken(token),
    expiresAt: new Date(Date.now() + LIFETIME_MS[link.purpose]),
  });
  // The secret travels in the fragment, so it never reaches a server log or a Referer header.
  return `${publicUrl}${PATHS[link.purpose]}#${token}`;
}

export type LiveAccountLink = NonNullable<Awaited<ReturnType<typeof queries.findLiveAccountLink>>>;

const EXPIRED: Record<AccountLinkPurpose, string> = {
  invitation: 'This invitation has expired or was already used; ask your administrator for a new one',
  password_reset: 'This reset link has expired or was already used; ask for a new one',
};

/** The link's user, or a clear refusal for an unknown, expired, used or disabled one. */
export async function readAccountLink(
  db: Kysely<DB> | Transaction<DB>,
  token: string,
  purpose: AccountLinkPurpose,
): Promise<LiveAccountLink> {
  const link = await queries.findLiveAccountLink(db, hashToken(token), purpose);
  if (!link || link.disabled_at)
    throw new Invalid(EXPIRED[purpose], [{ path: 'token', message: EXPIRED[purpose] }]);
  return link;
}

/** Marks the link used inside the caller's transaction; a second use (even a concurrent one) is refused. */
export async function useAccountLink(
  db: Transaction<DB>,
  token: string,
  purpose: AccountLinkPurpose,
): Promise<LiveAccountLink> {
  const link = await readAccountLink(db, token, purpose);
  if (!(await queries.consumeAccountLink(db, link.link_id))) {
    throw new Invalid(EXPIRED[purpose], [{ path: 'token', message: EXPIRED[purpose] }]);
  }
  return link;
}

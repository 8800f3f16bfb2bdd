import type { Kysely, Transaction } from 'kysely';
import type { AccountLinkPurpose, DB } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export async function insertAccountLink(
  db: Executor,
  link: {
    districtId: string;
    userId: string;
    purpose: AccountLinkPurpose;
    tokenHash: string;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('account_links')
    .values({
      district_id: link.districtId,
      user_id: link.userId,
      purpose: link.purpose,
      token_hash: link.tokenHash,
      expires_at: link.expiresAt,
    })
    .execute();
}

/** A newer link replaces the older ones of the same purpose: only the latest mail works. */
export async function retireAccountLinks(
  db: Executor,
  userId: string,
  purpose: AccountLinkPurpose,
): Promise<void> {
  await db
    .updateTable('account_links')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/** The live link with its user and district; expired or used links are not found. */
export function findLiveAccountLink(db: Executor, tokenHash: string, purpose: AccountLinkPurpose) {
  return db
    .selectFrom('account_links')
    .innerJoin('users', 'users.id', 'account_links.user_id')
    .innerJoin('districts', 'districts.id', 'account_links.district_id')
    .select([
      'account_links.id as link_id',
      'users.id as user_id',
      'users.email',
      'users.name',
      'users.disabled_at',
      'districts.id as district_id',
      'districts.name as district_name',
    ])
    .where('account_links.token_hash', '=', tokenHash)
    .where('account_links.purpose', '=', purpose)
    .where('account_links.used_at', 'is', null)
    .where('account_links.expires_at', '>', new Date())
    .executeTakeFirst();
}

/** Single use: only the first caller gets the row back. */
export function consumeAccountLink(db: Executor, linkId: string) {
  return db
    .updateTable('account_links')
    .set({ used_at: new Date() })
    .where('id', '=', linkId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('id')
    .executeTakeFirst();
}

export async function deleteStaleAccountLinks(db: Executor): Promise<number> {
  const cutoff = new Date(Date.now() - 7 * 86_400_000);
  const result = await db
    .deleteFrom('account_links')
    .where((eb) => eb.or([eb('expires_at', '<=', cutoff), eb('used_at', '<=', cutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

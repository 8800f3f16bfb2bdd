import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

const identityColumns = [
  'users.id as user_id',
  'users.email',
  'users.name',
  'users.role',
  'users.disabled_at',
  'users.last_sign_in_at',
  'users.created_at as user_created_at',
  'districts.id as district_id',
  'districts.name as district_name',
] as const;

export async function insertSession(
  db: Executor,
  session: {
    districtId: string;
    userId: string;
    tokenHash: string;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<string> {
  const row = await db
    .insertInto('sessions')
    .values({
      district_id: session.districtId,
      user_id: session.userId,
      token_hash: session.tokenHash,
      last_seen_at: new Date(),
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findSessionIdentity(db: Executor, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('districts', 'districts.id', 'sessions.district_id')
    .select([...identityColumns, 'sessions.id as session_id', 'sessions.last_seen_at', 'sessions.expires_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, sessionId: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', sessionId).execute();
}

export async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteUserSessions(
  db: Executor,
  userId: string,
  exceptSessionId?: string,
): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  await query.execute();
}

export async function deleteExpiredSessions(db: Executor, idleBefore: Date): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', new Date()), eb('last_seen_at', '<', idleBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function findTokenIdentity(db: Executor, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .innerJoin('districts', 'districts.id', 'api_tokens.district_id')
    .select([
      ...identityColumns,
      'api_tokens.id as token_id',
      'api_tokens.last_used_at',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.created_at as token_created_at',
      'districts.token_max_lifetime_days',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchToken(db: Executor, tokenId: string, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
}

export function insertToken(
  db: Executor,
  token: {
    districtId: string;
    userId: string;
    name: string;
    prefix: string;
    tokenHash: string;
    expiresAt: Date;
  },
) {
  return db
    .insertInto('api_tokens')
    .values({
      district_id: token.districtId,
      user_id: token.userId,
      name: token.name,
      prefix: token.prefix,
      token_hash: token.tokenHash,
      expires_at: token.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listUserTokens(db: Executor, districtId: string, userId: string) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Live tokens with their owners; `userId` narrows to one user's. */
export function listDistrictTokens(db: Executor, districtId: string, userId: string | undefined) {
  let query = db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('api_tokens')
    .select(['users.name as owner_name', 'users.email as owner_email'])
    .where('api_tokens.district_id', '=', districtId)
    .where('api_tokens.revoked_at', 'is', null)
    .where('api_tokens.expires_at', '>', new Date())
    .orderBy('users.name')
    .orderBy('api_tokens.created_at', 'desc');
  if (userId) query = query.where('api_tokens.user_id', '=', userId);
  return query.execute();
}

/** `ownerId` set: only that user's token (self-service); unset: any token in the district (administrators). */
export function revokeToken(db: Executor, districtId: string, tokenId: string, ownerId: string | undefined) {
  let query = db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('district_id', '=', districtId)
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null);
  if (ownerId) query = query.where('user_id', '=', ownerId);
  return query.returning(['id', 'name', 'user_id']).executeTakeFirst();
}

export async function revokeAllUserTokens(db: Executor, districtId: string, userId: string): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('district_id', '=', districtId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function insertSetupToken(db: Executor, tokenHash: string, expiresAt: Date): Promise<void> {
  await db.insertInto('setup_tokens').values({ token_hash: tokenHash, expires_at: expiresAt }).execute();
}

export function findUsableSetupToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('setup_tokens')
    .select(['id', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
}

/** Single use: only the first caller gets the row back. */
export function consumeSetupToken(db: Executor, tokenHash: string) {
  return db
    .updateTable('setup_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('id')
    .executeTakeFirst();
}

export async function deleteStaleSetupTokens(db: Executor): Promise<number> {
  const result = await db
    .deleteFrom('setup_tokens')
    .where((eb) => eb.or([eb('expires_at', '<=', new Date()), eb('used_at', 'is not', null)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { hashToken, hmac, newSecretToken } from './crypto.ts';
import type { Identity } from './identity.ts';
import * as queries from './queries.ts';

/** ASVS 7.3.1/7.3.2: 30 minutes idle, 12 hours absolute. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** Activity is written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

type Executor = Kysely<DB> | Transaction<DB>;

export interface NewSession {
  token: string;
  tokenHash: string;
  expiresAt: Date;
}

export async function createSession(
  db: Executor,
  owner: { districtId: string; userId: string; ip: string | null; userAgent: string | null },
): Promise<NewSession> {
  const token = newSecretToken('');
  const tokenHash = hashToken(token);
  const expiresAt = new Date(Date.now() + SESSION_ABSOLUTE_MS);
  await queries.insertSession(db, { ...owner, tokenHash, expiresAt });
  return { token, tokenHash, expiresAt };
}

export async function resolveSession(db: Kysely<DB>, token: string): Promise<Identity | null> {
  const tokenHash = hashToken(token);
  const row = await queries.findSessionIdentity(db, tokenHash);
  if (!row) return null;
  const now = Date.now();
  const expired = row.expires_at.getTime() <= now || row.last_seen_at.getTime() + SESSION_IDLE_MS <= now;
  if (expired || row.disabled_at) {
    await queries.deleteSession(db, row.session_id);
    return null;
  }
  if (now - row.last_seen_at.getTime() >= TOUCH_INTERVAL_MS) {
    await queries.touchSession(db, row.session_id, new Date(now));
  }
  return { row, via: { kind: 'session', sessionId: row.session_id, tokenHash } };
}

export function endSession(db: Executor, sessionId: string): Promise<void> {
  return queries.deleteSession(db, sessionId);
}

export function endUserSessions(db: Executor, userId: string, exceptSessionId?: string): Promise<void> {
  return queries.deleteUserSessions(db, userId, exceptSessionId);
}

/** Bound to the session: a token from one session is worthless in another, and nothing extra is stored. */
export function csrfTokenFor(secretKey: Buffer, sessionTokenHash: string): string {
  return hmac(secretKey, 'csrf', sessionTokenHash);
}

export async function purgeExpiredSessions(db: Kysely<DB>): Promise<number> {
  return queries.deleteExpiredSessions(db, new Date(Date.now() - SESSION_IDLE_MS));
}

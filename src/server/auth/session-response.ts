import type { Kysely } from 'kysely';
import type { SessionResponse } from '../../common/auth.ts';
import type { DB } from '../db/schema.ts';
import { toMe } from './identity.ts';
import { findSessionIdentity } from './queries.ts';
import { csrfTokenFor, type NewSession } from './sessions.ts';

/** The signed-in answer for a session just started: who it is, with the session's CSRF token. */
export function sessionResponder(db: Kysely<DB>, secretKey: Buffer) {
  return async (session: NewSession): Promise<SessionResponse> => {
    const row = await findSessionIdentity(db, session.tokenHash);
    if (!row) throw new Error('The new session vanished');
    return { ...toMe(row), csrfToken: csrfTokenFor(secretKey, session.tokenHash) };
  };
}

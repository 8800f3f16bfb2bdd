import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { insertAuditEvent } from '../audit/queries.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { Invalid, Locked, Unauthenticated } from '../errors.ts';
import * as users from '../users/queries.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { createSession, endUserSessions, type NewSession } from './sessions.ts';

/** Consecutive failures before an account is locked, and for how long. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 15 * 60_000;

export interface SignInAttempt {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

const WRONG_CREDENTIALS = 'Email or password is incorrect';

export async function signIn(
  db: Kysely<DB>,
  attempt: SignInAttempt,
  log: FastifyBaseLogger,
): Promise<NewSession> {
  const user = await users.findUserByEmail(db, attempt.email);
  if (user?.locked_until && user.locked_until.getTime() > Date.now()) {
    await audit(db, user, attempt, 'auth.sign_in_blocked', { reason: 'locked' });
    throw new Locked(`Too many failed sign-ins. Try again after ${user.locked_until.toISOString()}.`, {
      lockedUntil: user.locked_until.toISOString(),
    });
  }
  const passwordMatches = await verifyPassword(user?.password_hash, attempt.password);
  if (!user) {
    log.info({ email: attempt.email }, 'sign-in for unknown email');
    throw new Unauthenticated(WRONG_CREDENTIALS);
  }
  if (!passwordMatches || user.disabled_at) {
    const reason = passwordMatches ? 'disabled' : 'wrong_password';
    const failure = await users.recordFailedSignIn(db, user.id, LOCKOUT_THRESHOLD, LOCKOUT_MS);
    await audit(db, user, attempt, 'auth.sign_in_failed', {
      reason,
      consecutiveFailures: failure.failed_sign_ins,
      ...(failure.locked_until ? { lockedUntil: failure.locked_until.toISOString() } : {}),
    });
    throw new Unauthenticated(WRONG_CREDENTIALS);
  }
  return db.transaction().execute(async (trx) => {
    await users.recordSuccessfulSignIn(trx, user.id);
    const session = await createSession(trx, {
      districtId: user.district_id,
      userId: user.id,
      ip: attempt.ip,
      userAgent: attempt.userAgent,
    });
    await audit(trx, user, attempt, 'auth.signed_in', {});
    return session;
  });
}

export async function changeOwnPassword(
  ctx: RequestContext,
  db: Kysely<DB>,
  input: { currentPassword: string; newPassword: string },
  currentSessionId: string | undefined,
): Promise<void> {
  if (!ctx.userId) throw new Unauthenticated();
  const user = await users.findUser(db, ctx.districtId, ctx.userId);
  if (!user) throw new Unauthenticated();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new Invalid('The current password is incorrect', [
      { path: 'currentPassword', message: 'The current password is incorrect' },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await users.updateUser(trx, ctx.districtId, user.id, { password_hash: passwordHash });
    // Other sessions end; the one that made the change stays signed in (ASVS 7.4.3).
    await endUserSessions(trx, user.id, currentSessionId);
    await insertAuditEvent(trx, {
      districtId: ctx.districtId,
      actorUserId: user.id,
      actorLabel: ctx.actorLabel,
      action: 'user.password_changed',
      subjectType: 'user',
      subjectId: user.id,
      details: {},
      ip: ctx.ip,
    });
  });
}

function audit(
  db: Kysely<DB>,
  user: { id: string; district_id: string; email: string },
  attempt: SignInAttempt,
  action: string,
  details: Record<string, unknown>,
) {
  return insertAuditEvent(db, {
    districtId: user.district_id,
    actorUserId: user.id,
    actorLabel: user.email,
    action,
    subjectType: 'user',
    subjectId: user.id,
    details: { ...details, userAgent: attempt.userAgent },
    ip: attempt.ip,
  });
}

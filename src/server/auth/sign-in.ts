import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { insertAuditEvent } from '../audit/queries.ts';
import type { RequestContext } from '../context.ts';
import type { DB, UserRow } from '../db/schema.ts';
import { Forbidden, Invalid, Unauthenticated } from '../errors.ts';
import * as users from '../users/queries.ts';
import { revokeUserTokens } from './api-tokens.ts';
import { issueDistrictTicket, readDistrictTicket } from './district-choice.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { createSession, endUserSessions, type NewSession } from './sessions.ts';
import { PASSWORD_SIGN_IN_OFF, signInOptionsFor } from './sign-in-options.ts';
import { clearFailures, isThrottled, recordFailure, throttleKey } from './sign-in-throttle.ts';

export interface SignInAttempt {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * One answer for an unknown email, a wrong password, a disabled account and an address that must wait: the
 * response never tells which accounts exist.
 */
export const SIGN_IN_REFUSED =
  'Email or password is incorrect, or there were too many attempts: wait a few minutes and try again';

export type SignInOutcome =
  | { kind: 'session'; session: NewSession }
  | { kind: 'choose_district'; ticket: string; districts: { id: string; name: string }[] };

type Candidate = UserRow & { district_name: string };

export async function signIn(
  db: Kysely<DB>,
  secretKey: Buffer,
  attempt: SignInAttempt,
  log: FastifyBaseLogger,
): Promise<SignInOutcome> {
  const key = throttleKey(secretKey, attempt.email, attempt.ip);
  const candidates = await users.findUsersByEmail(db, attempt.email);
  const throttled = await isThrottled(db, key);
  // The password is checked even when the address must wait, so every refusal costs the same time.
  const proven = await provenAccounts(candidates, attempt.password);
  if (throttled) {
    await auditEach(db, candidates, attempt, 'auth.sign_in_throttled', {});
    throw new Unauthenticated(SIGN_IN_REFUSED);
  }
  const active = proven.filter((user) => !user.disabled_at);
  const usable = await withPasswordAllowed(db, active);
  if (active.length > 0 && usable.length === 0) {
    await clearFailures(db, key);
    throw new Forbidden(PASSWORD_SIGN_IN_OFF);
  }
  if (usable.length === 0) {
    const failures = await recordFailure(db, key);
    for (const user of candidates) {
      const reason = proven.includes(user) ? 'disabled' : 'wrong_password';
      await auditEach(db, [user], attempt, 'auth.sign_in_failed', { reason, consecutiveFailures: failures });
    }
    if (candidates.length === 0) log.info('sign-in for an unknown email');
    throw new Unauthenticated(SIGN_IN_REFUSED);
  }
  await clearFailures(db, key);
  const [only] = usable;
  if (usable.length === 1 && only) return { kind: 'session', session: await startSession(db, only, attempt) };
  return {
    kind: 'choose_district',
    ticket: issueDistrictTicket(
      secretKey,
      usable.map((user) => user.id),
    ),
    districts: usable.map((user) => ({ id: user.district_id, name: user.district_name })),
  };
}

/** The second step when the email has accounts in several districts: the password was proven by the first. */
export async function signInToDistrict(
  db: Kysely<DB>,
  secretKey: Buffer,
  input: { ticket: string; districtId: string; ip: string | null; userAgent: string | null },
): Promise<NewSession> {
  const userIds = readDistrictTicket(secretKey, input.ticket);
  const user = await users.findUserAmong(db, input.districtId, userIds);
  if (!user || user.disabled_at) throw new Unauthenticated(SIGN_IN_REFUSED);
  return startSession(db, user, {
    email: user.email,
    password: '',
    ip: input.ip,
    userAgent: input.userAgent,
  });
}

/** Accounts whose district still lets them use a password (the password was right: this reveals nothing). */
async function withPasswordAllowed(db: Kysely<DB>, accounts: Candidate[]): Promise<Candidate[]> {
  const allowed: Candidate[] = [];
  for (const user of accounts)
    if ((await signInOptionsFor(db, user.district_id, user.id)).passwordAllowed) allowed.push(user);
  return allowed;
}

async function provenAccounts(candidates: Candidate[], password: string): Promise<Candidate[]> {
  if (candidates.length === 0) {
    await verifyPassword(undefined, password);
    return [];
  }
  const proven: Candidate[] = [];
  for (const user of candidates) if (await verifyPassword(user.password_hash, password)) proven.push(user);
  return proven;
}

function startSession(db: Kysely<DB>, user: UserRow, attempt: SignInAttempt): Promise<NewSession> {
  return db.transaction().execute(async (trx) => {
    await users.recordSuccessfulSignIn(trx, user.id);
    const session = await createSession(trx, {
      districtId: user.district_id,
      userId: user.id,
      ip: attempt.ip,
      userAgent: attempt.userAgent,
    });
    await auditEach(trx, [user], attempt, 'auth.signed_in', {});
    return session;
  });
}

export async function changeOwnPassword(
  ctx: RequestContext,
  db: Kysely<DB>,
  input: { currentPassword: string; newPassword: string; revokeApiTokens?: boolean | undefined },
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
    const revokedTokens = input.revokeApiTokens ? await revokeUserTokens(trx, ctx.districtId, user.id) : 0;
    await insertAuditEvent(trx, {
      districtId: ctx.districtId,
      actorUserId: user.id,
      actorLabel: ctx.actorLabel,
      action: 'user.password_changed',
      subjectType: 'user',
      subjectId: user.id,
      details: { revokedTokens },
      ip: ctx.ip,
    });
  });
}

async function auditEach(
  db: Kysely<DB> | Transaction<DB>,
  accounts: UserRow[],
  attempt: SignInAttempt,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  for (const user of accounts) {
    await insertAuditEvent(db, {
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
}

import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { PasswordResetAnswer } from '../../common/account-mail.ts';
import { insertAuditEvent } from '../audit/queries.ts';
import type { Config } from '../config.ts';
import type { DB } from '../db/schema.ts';
import { mailerFor } from '../mail/mailer.ts';
import { passwordResetMail } from '../mail/messages.ts';
import * as users from '../users/queries.ts';
import { issueAccountLink, useAccountLink } from './account-links.ts';
import { revokeUserTokens } from './api-tokens.ts';
import { hashPassword } from './passwords.ts';
import { endUserSessions } from './sessions.ts';
import { signInOptionsFor } from './sign-in-options.ts';

interface ResetDeps {
  db: Kysely<DB>;
  config: Config;
  log: FastifyBaseLogger;
}

const SENT =
  'If that email has a Satchel account, a link to reset its password is on its way. It works once, within 1 hour.';
const MAIL_OFF =
  'Password reset by email is off on this server: ask your district administrator to reset your password.';

/**
 * Answers at once and the same way for every email; the links are made and mailed afterwards, so neither the
 * answer nor its timing tells whether the email has an account.
 */
export function requestPasswordReset(
  deps: ResetDeps,
  request: { email: string; ip: string | null; userAgent: string | null },
): PasswordResetAnswer {
  const mailer = mailerFor(deps.config);
  if (!mailer.enabled) return { mailEnabled: false, message: MAIL_OFF };
  void sendResetLinks(deps, request).catch((error: unknown) =>
    deps.log.warn({ err: error }, 'password reset mail was not sent'),
  );
  return { mailEnabled: true, message: SENT };
}

/** One link per active account with this email that may use a password (an email can be in several districts). */
async function sendResetLinks(
  deps: ResetDeps,
  request: { email: string; ip: string | null; userAgent: string | null },
): Promise<void> {
  const mailer = mailerFor(deps.config);
  for (const user of await users.findUsersByEmail(deps.db, request.email)) {
    if (user.disabled_at) continue;
    if (!(await signInOptionsFor(deps.db, user.district_id, user.id)).passwordAllowed) continue;
    const link = await deps.db.transaction().execute(async (trx) => {
      const url = await issueAccountLink(trx, deps.config.publicUrl, {
        districtId: user.district_id,
        userId: user.id,
        purpose: 'password_reset',
      });
      await insertAuditEvent(trx, {
        districtId: user.district_id,
        actorUserId: null,
        actorLabel: user.email,
        action: 'user.password_reset_requested',
        subjectType: 'user',
        subjectId: user.id,
        details: { userAgent: request.userAgent },
        ip: request.ip,
      });
      return url;
    });
    await mailer.send(passwordResetMail({ to: user.email, districtName: user.district_name, link }));
  }
}

/**
 * Sets the new password from a reset link: the link is spent, every session ends and every API token is
 * revoked, as when an administrator resets it, since whoever knew the old password may hold either.
 */
export async function completePasswordReset(
  db: Kysely<DB>,
  input: { token: string; password: string; ip: string | null; userAgent: string | null },
): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    const link = await useAccountLink(trx, input.token, 'password_reset');
    await (await signInOptionsFor(trx, link.district_id, link.user_id)).requirePassword();
    await users.updateUser(trx, link.district_id, link.user_id, { password_hash: passwordHash });
    await endUserSessions(trx, link.user_id);
    const revokedTokens = await revokeUserTokens(trx, link.district_id, link.user_id);
    await insertAuditEvent(trx, {
      districtId: link.district_id,
      actorUserId: link.user_id,
      actorLabel: link.email,
      action: 'user.password_reset',
      subjectType: 'user',
      subjectId: link.user_id,
      details: { revokedTokens, userAgent: input.userAgent },
      ip: input.ip,
    });
  });
}

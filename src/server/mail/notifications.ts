import type { Kysely, Transaction } from 'kysely';
import type { MailNotificationSettings, MailNotifications } from '../../common/account-mail.ts';
import { recordAudit } from '../audit/service.ts';
import type { Config } from '../config.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { NotFound, Unauthenticated } from '../errors.ts';
import * as users from '../users/queries.ts';
import { mailerFor } from './mailer.ts';
import { notificationMail } from './messages.ts';

export async function readNotifications(
  ctx: RequestContext,
  db: Kysely<DB>,
  config: Config,
): Promise<MailNotificationSettings> {
  const user = await users.findUser(db, ctx.districtId, requireUser(ctx));
  if (!user) throw new NotFound('User');
  return {
    reauthorization: user.notify_reauthorization,
    syncFailures: user.notify_sync_failures,
    mailEnabled: mailerFor(config).enabled,
  };
}

export async function changeNotifications(
  ctx: RequestContext,
  db: Kysely<DB>,
  config: Config,
  input: MailNotifications,
): Promise<MailNotificationSettings> {
  const userId = requireUser(ctx);
  const after = await db.transaction().execute(async (trx) => {
    const row = await users.updateNotifications(trx, ctx.districtId, userId, {
      notify_reauthorization: input.reauthorization,
      notify_sync_failures: input.syncFailures,
    });
    await recordAudit(ctx, trx, {
      action: 'user.notifications_changed',
      subjectType: 'user',
      subjectId: userId,
      details: { ...input },
    });
    return row;
  });
  return {
    reauthorization: after.notify_reauthorization,
    syncFailures: after.notify_sync_failures,
    mailEnabled: mailerFor(config).enabled,
  };
}

export type NotificationKind = 'reauthorization' | 'sync_failures';

const COLUMNS: Record<NotificationKind, users.NotificationColumn> = {
  reauthorization: 'notify_reauthorization',
  sync_failures: 'notify_sync_failures',
};

/**
 * Mails the district's administrators who asked for this kind of notice. A mail failure is logged, never
 * thrown: the sync that triggered it has already been recorded.
 */
export async function notifyAdmins(
  ctx: RequestContext,
  deps: { db: Kysely<DB> | Transaction<DB>; config: Config },
  kind: NotificationKind,
  message: { subject: string; lines: string[] },
): Promise<number> {
  const mailer = mailerFor(deps.config);
  if (!mailer.enabled) return 0;
  const admins = await users.listNotifiedAdmins(deps.db, ctx.districtId, COLUMNS[kind]);
  let sent = 0;
  for (const admin of admins) {
    try {
      await mailer.send(notificationMail({ to: admin.email, ...message }));
      sent++;
    } catch (error) {
      ctx.log.warn({ err: error, kind }, 'notification mail was not sent');
    }
  }
  return sent;
}

function requireUser(ctx: RequestContext): string {
  if (!ctx.userId) throw new Unauthenticated();
  return ctx.userId;
}

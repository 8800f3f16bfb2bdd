import type { Kysely, Transaction } from 'kysely';
import type { Role } from '../../common/permissions.ts';
import type { InvitationResult } from '../../common/users.ts';
import { recordAudit } from '../audit/service.ts';
import { issueAccountLink } from '../auth/account-links.ts';
import type { Config } from '../config.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { findDistrictName } from '../districts/queries.ts';
import { Conflict, NotFound } from '../errors.ts';
import { mailerFor } from '../mail/mailer.ts';
import { invitationMail } from '../mail/messages.ts';
import * as queries from './queries.ts';
import { insertDistrictUser, toUser } from './service.ts';

interface InviteDeps {
  db: Kysely<DB>;
  config: Config;
}

/**
 * Adds a person without a password and sends them a link, valid 7 days, where they choose one (or sign in with
 * their district's Google or Microsoft account). Without mail, the link comes back for the administrator to
 * pass on.
 */
export async function inviteUser(
  ctx: RequestContext,
  deps: InviteDeps,
  input: { email: string; name: string; role: Role },
): Promise<InvitationResult> {
  const { user, link } = await deps.db.transaction().execute(async (trx) => {
    const row = await insertDistrictUser(ctx, trx, { ...input, passwordHash: null });
    const url = await invitationLink(ctx, trx, deps.config, row.id);
    await recordAudit(ctx, trx, {
      action: 'user.invited',
      subjectType: 'user',
      subjectId: row.id,
      details: { email: row.email, name: row.name, role: row.role },
    });
    return { user: row, link: url };
  });
  return { user: toUser(user), ...(await deliver(ctx, deps, { ...user, link })) };
}

/** A fresh link for someone who has not accepted yet; the earlier link stops working. */
export async function resendInvitation(
  ctx: RequestContext,
  deps: InviteDeps,
  userId: string,
): Promise<InvitationResult> {
  const { user, link } = await deps.db.transaction().execute(async (trx) => {
    const row = await queries.findUser(trx, ctx.districtId, userId);
    if (!row) throw new NotFound('User');
    if (row.password_hash !== null || row.last_sign_in_at !== null) {
      throw new Conflict(`${row.name} has already accepted their invitation`);
    }
    const url = await invitationLink(ctx, trx, deps.config, row.id);
    await recordAudit(ctx, trx, {
      action: 'user.invitation_resent',
      subjectType: 'user',
      subjectId: row.id,
      details: { email: row.email },
    });
    return { user: row, link: url };
  });
  return { user: toUser(user), ...(await deliver(ctx, deps, { ...user, link })) };
}

function invitationLink(ctx: RequestContext, trx: Transaction<DB>, config: Config, userId: string) {
  return issueAccountLink(trx, config.publicUrl, {
    districtId: ctx.districtId,
    userId,
    purpose: 'invitation',
  });
}

/** Mails the link; when mail is off or the server refuses it, the administrator gets the link to copy. */
async function deliver(
  ctx: RequestContext,
  deps: InviteDeps,
  invitee: { email: string; name: string; link: string },
): Promise<Omit<InvitationResult, 'user'>> {
  const mailer = mailerFor(deps.config);
  if (!mailer.enabled) return { delivery: 'link', link: invitee.link, mailError: null };
  const district = await findDistrictName(deps.db, ctx.districtId);
  try {
    await mailer.send(
      invitationMail({
        to: invitee.email,
        name: invitee.name,
        districtName: district?.name ?? 'your district',
        invitedBy: ctx.actorLabel,
        link: invitee.link,
      }),
    );
    return { delivery: 'email', link: null, mailError: null };
  } catch (error) {
    ctx.log.warn({ err: error }, 'invitation mail was not sent');
    return {
      delivery: 'link',
      link: invitee.link,
      mailError: 'The mail server refused the invitation; copy the link and send it yourself',
    };
  }
}

import type { Kysely } from 'kysely';
import type { InvitationDetails } from '../../common/account-mail.ts';
import { insertAuditEvent } from '../audit/queries.ts';
import type { DB } from '../db/schema.ts';
import * as users from '../users/queries.ts';
import { readAccountLink, useAccountLink } from './account-links.ts';
import { hashPassword } from './passwords.ts';
import { createSession, type NewSession } from './sessions.ts';
import { signInOptionsFor } from './sign-in-options.ts';

/** What the invitation page needs: who was invited, to which district, and how they may sign in. */
export async function invitationDetails(db: Kysely<DB>, token: string): Promise<InvitationDetails> {
  const link = await readAccountLink(db, token, 'invitation');
  const options = await signInOptionsFor(db, link.district_id, link.user_id);
  return {
    email: link.email,
    name: link.name,
    districtName: link.district_name,
    signInProviders: options.providers,
    passwordAllowed: options.passwordAllowed,
  };
}

/** The invited person chooses their password; the link is spent and they are signed in. */
export async function acceptInvitation(
  db: Kysely<DB>,
  input: { token: string; password: string; ip: string | null; userAgent: string | null },
): Promise<NewSession> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const link = await useAccountLink(trx, input.token, 'invitation');
    await (await signInOptionsFor(trx, link.district_id, link.user_id)).requirePassword();
    await users.updateUser(trx, link.district_id, link.user_id, { password_hash: passwordHash });
    await users.recordSuccessfulSignIn(trx, link.user_id);
    await insertAuditEvent(trx, {
      districtId: link.district_id,
      actorUserId: link.user_id,
      actorLabel: link.email,
      action: 'user.invitation_accepted',
      subjectType: 'user',
      subjectId: link.user_id,
      details: { userAgent: input.userAgent },
      ip: input.ip,
    });
    return createSession(trx, {
      districtId: link.district_id,
      userId: link.user_id,
      ip: input.ip,
      userAgent: input.userAgent,
    });
  });
}

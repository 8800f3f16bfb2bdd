import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AcceptInvitationRequest,
  CompletePasswordResetRequest,
  InvitationDetails,
  LinkTokenRequest,
  MailNotificationSettings,
  MailNotifications,
  PasswordResetAnswer,
  PasswordResetRequest,
} from '../../common/account-mail.ts';
import { SessionResponse } from '../../common/auth.ts';
import { ErrorBody } from '../../common/errors.ts';
import type { AppDeps } from '../app-deps.ts';
import { requireContext } from '../http/authenticate.ts';
import { clientMeta, setSessionCookie } from '../http/session-cookie.ts';
import { changeNotifications, readNotifications } from '../mail/notifications.ts';
import { acceptInvitation, invitationDetails } from './invitation-acceptance.ts';
import { completePasswordReset, requestPasswordReset } from './password-reset.ts';
import { sessionResponder } from './session-response.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };
const linkLimit = { max: 20, timeWindow: '1 minute' };

/** Invitations, password reset by mail, and the notifications an administrator may ask to be mailed. */
export function accountMailRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { config, database, secretKey } = deps;
  const db = database.db;
  const sessionResponse = sessionResponder(db, secretKey);

  return async (app) => {
    app.post(
      '/invitation/details',
      {
        config: { access: 'public', rateLimit: linkLimit },
        schema: {
          tags: ['session'],
          body: LinkTokenRequest,
          response: { 200: InvitationDetails, ...errors },
        },
      },
      async (request) => invitationDetails(db, request.body.token),
    );

    app.post(
      '/invitation/accept',
      {
        config: { access: 'public', rateLimit: linkLimit },
        schema: {
          tags: ['session'],
          body: AcceptInvitationRequest,
          response: { 200: SessionResponse, ...errors },
        },
      },
      async (request, reply) => {
        const session = await acceptInvitation(db, { ...request.body, ...clientMeta(request) });
        setSessionCookie(reply, config, session.token, session.expiresAt);
        return sessionResponse(session);
      },
    );

    app.post(
      '/password-reset',
      {
        config: { access: 'public', rateLimit: { max: 5, timeWindow: '1 minute' } },
        schema: {
          tags: ['session'],
          body: PasswordResetRequest,
          response: { 202: PasswordResetAnswer, ...errors },
        },
      },
      async (request, reply) => {
        const answer = requestPasswordReset(
          { db, config, log: request.log },
          { email: request.body.email, ...clientMeta(request) },
        );
        return reply.status(202).send(answer);
      },
    );

    app.post(
      '/password-reset/complete',
      {
        config: { access: 'public', rateLimit: linkLimit },
        schema: {
          tags: ['session'],
          body: CompletePasswordResetRequest,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await completePasswordReset(db, { ...request.body, ...clientMeta(request) });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/me/notifications',
      {
        config: { access: 'system.settings' },
        schema: { tags: ['session'], response: { 200: MailNotificationSettings, ...errors } },
      },
      async (request) => readNotifications(requireContext(request), db, config),
    );

    app.put(
      '/me/notifications',
      {
        config: { access: 'system.settings' },
        schema: {
          tags: ['session'],
          body: MailNotifications,
          response: { 200: MailNotificationSettings, ...errors },
        },
      },
      async (request) => changeNotifications(requireContext(request), db, config, request.body),
    );
  };
}

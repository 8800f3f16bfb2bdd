import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChangePasswordRequest,
  DistrictSignInRequest,
  Me,
  SessionResponse,
  SetupRequest,
  SetupStatus,
  SignInRequest,
  SignInResponse,
} from '../../common/auth.ts';
import { ErrorBody } from '../../common/errors.ts';
import {
  ApiTokenList,
  CreatedToken,
  CreateTokenRequest,
  DistrictApiTokenList,
  DistrictTokenQuery,
} from '../../common/tokens.ts';
import { IdParams } from '../../common/users.ts';
import type { AppDeps } from '../app-deps.ts';
import {
  createToken,
  listDistrictTokens,
  listTokens,
  revokeDistrictToken,
  revokeToken,
} from '../auth/api-tokens.ts';
import { completeSetup, setupStatus } from '../districts/service.ts';
import { requireContext, requireIdentity } from '../http/authenticate.ts';
import { clearSessionCookie, clientMeta, setSessionCookie } from '../http/session-cookie.ts';
import { toMe } from './identity.ts';
import { sessionResponder } from './session-response.ts';
import { csrfTokenFor, endSession } from './sessions.ts';
import { changeOwnPassword, signIn, signInToDistrict } from './sign-in.ts';

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  429: ErrorBody,
};

export function authRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { config, database, secretKey } = deps;
  const db = database.db;

  const sessionResponse = sessionResponder(db, secretKey);

  return async (app) => {
    app.post(
      '/session',
      {
        config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: { tags: ['session'], body: SignInRequest, response: { 200: SignInResponse, ...errors } },
      },
      async (request, reply) => {
        const attempt = { ...request.body, ...clientMeta(request) };
        const outcome = await signIn(db, secretKey, attempt, request.log);
        if (outcome.kind === 'choose_district') {
          return { districtChoice: { ticket: outcome.ticket, districts: outcome.districts } };
        }
        setSessionCookie(reply, config, outcome.session.token, outcome.session.expiresAt);
        return sessionResponse(outcome.session);
      },
    );

    app.post(
      '/session/district',
      {
        config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags: ['session'],
          body: DistrictSignInRequest,
          response: { 200: SessionResponse, ...errors },
        },
      },
      async (request, reply) => {
        const session = await signInToDistrict(db, secretKey, { ...request.body, ...clientMeta(request) });
        setSessionCookie(reply, config, session.token, session.expiresAt);
        return sessionResponse(session);
      },
    );

    app.get(
      '/session',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['session'], response: { 200: SessionResponse, ...errors } },
      },
      async (request) => {
        const identity = requireIdentity(request);
        const csrfToken =
          identity.via.kind === 'session' ? csrfTokenFor(secretKey, identity.via.tokenHash) : '';
        return { ...toMe(identity.row), csrfToken };
      },
    );

    app.delete(
      '/session',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['session'], response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        const identity = requireIdentity(request);
        if (identity.via.kind === 'session') {
          await endSession(db, identity.via.sessionId);
          clearSessionCookie(reply, config);
        }
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/me',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['session'], response: { 200: Me, ...errors } },
      },
      async (request) => toMe(requireIdentity(request).row),
    );

    app.post(
      '/me/password',
      {
        config: { access: 'authenticated', rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: { tags: ['session'], body: ChangePasswordRequest, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        const identity = requireIdentity(request);
        const currentSession = identity.via.kind === 'session' ? identity.via.sessionId : undefined;
        await changeOwnPassword(requireContext(request), db, request.body, currentSession);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/setup/status',
      {
        config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: {
          tags: ['setup'],
          querystring: z.strictObject({ token: z.string().min(1).max(200) }),
          response: { 200: SetupStatus, ...errors },
        },
      },
      async (request) => setupStatus(db, request.query.token),
    );

    app.post(
      '/setup',
      {
        config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: { tags: ['setup'], body: SetupRequest, response: { 200: SessionResponse, ...errors } },
      },
      async (request, reply) => {
        const meta = clientMeta(request);
        const session = await completeSetup(db, request.body, { ...meta, log: request.log });
        setSessionCookie(reply, config, session.token, session.expiresAt);
        return sessionResponse(session);
      },
    );

    app.get(
      '/tokens',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['tokens'], response: { 200: ApiTokenList, ...errors } },
      },
      async (request) => ({ tokens: await listTokens(requireContext(request), db) }),
    );

    app.post(
      '/tokens',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['tokens'], body: CreateTokenRequest, response: { 201: CreatedToken, ...errors } },
      },
      async (request, reply) =>
        reply.status(201).send(await createToken(requireContext(request), db, request.body)),
    );

    app.delete(
      '/tokens/:id',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['tokens'], params: IdParams, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await revokeToken(requireContext(request), db, request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api-tokens',
      {
        config: { access: 'system.settings' },
        schema: {
          tags: ['tokens'],
          querystring: DistrictTokenQuery,
          response: { 200: DistrictApiTokenList, ...errors },
        },
      },
      async (request) => ({
        tokens: await listDistrictTokens(requireContext(request), db, request.query.userId),
      }),
    );

    app.delete(
      '/api-tokens/:id',
      {
        config: { access: 'system.settings' },
        schema: { tags: ['tokens'], params: IdParams, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await revokeDistrictToken(requireContext(request), db, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}

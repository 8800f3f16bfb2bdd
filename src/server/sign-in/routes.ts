import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../common/errors.ts';
import { SignInMethods, SignInProvider, SignInSettings, UpdateSignInSettings } from '../../common/sign-in.ts';
import type { AppDeps } from '../app-deps.ts';
import { requireContext } from '../http/authenticate.ts';
import { clientMeta, setSessionCookie } from '../http/session-cookie.ts';
import { SignInRefused } from './admission.ts';
import { finishSignIn, signInMethods, startSignIn } from './flow.ts';
import { FLOW_COOKIE, FLOW_TTL_MS } from './flow-state.ts';
import { changeSignInSettings, readSignInSettings } from './settings.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const ProviderParams = z.strictObject({ provider: SignInProvider });

/** Single sign-on with Google or Microsoft, and the district's sign-in settings. */
export function signInRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { config, database, secretKey } = deps;
  const db = database.db;
  const flowCookie = {
    path: '/api/v1/sign-in',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
  } as const;
  const refusedPage = (reason: string) => `${config.publicUrl}/sign-in?sso_error=${reason}`;

  return async (app) => {
    app.get(
      '/sign-in/methods',
      {
        config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
        schema: {
          tags: ['session'],
          querystring: z.strictObject({ email: z.email().max(254).optional() }),
          response: { 200: SignInMethods, ...errors },
        },
      },
      async (request) => signInMethods(db, request.query.email),
    );

    app.get(
      '/sign-in/:provider/start',
      {
        config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          tags: ['session'],
          params: ProviderParams,
          querystring: z.strictObject({ email: z.email().max(254).optional() }),
        },
      },
      async (request, reply) => {
        try {
          const flow = { db, config, secretKey, log: request.log };
          const started = await startSignIn(flow, request.params.provider, request.query.email ?? '');
          reply.setCookie(FLOW_COOKIE, started.sealedState, { ...flowCookie, maxAge: FLOW_TTL_MS / 1000 });
          return reply.redirect(started.redirectTo, 302);
        } catch (error) {
          if (error instanceof SignInRefused) return reply.redirect(refusedPage(error.reason), 302);
          throw error;
        }
      },
    );

    app.get(
      '/sign-in/:provider/callback',
      {
        config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: { tags: ['session'], params: ProviderParams },
      },
      async (request, reply) => {
        reply.clearCookie(FLOW_COOKIE, flowCookie);
        try {
          const session = await finishSignIn(
            { db, config, secretKey, log: request.log },
            request.params.provider,
            {
              currentUrl: new URL(request.url, config.publicUrl),
              sealedState: request.cookies[FLOW_COOKIE],
              ...clientMeta(request),
            },
          );
          setSessionCookie(reply, config, session.token, session.expiresAt);
          return reply.redirect(`${config.publicUrl}/devices`, 302);
        } catch (error) {
          if (error instanceof SignInRefused) return reply.redirect(refusedPage(error.reason), 302);
          throw error;
        }
      },
    );

    app.get(
      '/district/sign-in',
      {
        config: { access: 'system.settings' },
        schema: { tags: ['district'], response: { 200: SignInSettings, ...errors } },
      },
      async (request) => readSignInSettings(requireContext(request), db, config),
    );

    app.put(
      '/district/sign-in',
      {
        config: { access: 'system.settings' },
        schema: {
          tags: ['district'],
          body: UpdateSignInSettings,
          response: { 200: SignInSettings, ...errors },
        },
      },
      async (request) => changeSignInSettings(requireContext(request), db, config, request.body),
    );
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../../common/errors.ts';
import {
  ActivateRequest,
  AuthorizeResponse,
  CredentialsRequest,
  ProviderList,
  ProviderParams,
  ProviderTile,
  SettingsRequest,
} from '../../../common/mdm.ts';
import type { AuthorizationFailure } from '../../../common/mdm-authorization.ts';
import type { AppDeps } from '../../app-deps.ts';
import { AppError } from '../../errors.ts';
import { requireContext, requireIdentity } from '../../http/authenticate.ts';
import { authorizationFailureOf } from './authorization-failure.ts';
import * as connections from './service.ts';

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  502: ErrorBody,
};

/** System Settings > MDM Settings: district administrators only, enforced here for every route. */
export function mdmConnectionRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const connectionDeps: connections.ConnectionDeps = {
    db: deps.database.db,
    keyring: deps.keyring,
    config: deps.config,
    jobs: deps.jobs,
  };
  const admin = { access: 'system.settings' } as const;
  const sessionIdOf = (request: Parameters<typeof requireIdentity>[0]) => {
    const identity = requireIdentity(request);
    return identity.via.kind === 'session' ? identity.via.sessionId : undefined;
  };

  return async (app) => {
    app.get(
      '/mdm/providers',
      { config: admin, schema: { tags: ['mdm'], response: { 200: ProviderList, ...errors } } },
      async (request) => ({
        providers: await connections.listTiles(requireContext(request), connectionDeps),
      }),
    );
    app.get(
      '/mdm/providers/:key/org-units',
      {
        config: admin,
        schema: {
          tags: ['mdm'],
          params: ProviderParams,
          response: { 200: z.object({ orgUnits: z.array(z.string()) }), ...errors },
        },
      },
      async (request) => ({
        orgUnits: await connections.seenOrgUnits(requireContext(request), connectionDeps, request.params.key),
      }),
    );
    app.get(
      '/mdm/providers/:key',
      {
        config: admin,
        schema: { tags: ['mdm'], params: ProviderParams, response: { 200: ProviderTile, ...errors } },
      },
      async (request) => connections.getTile(requireContext(request), connectionDeps, request.params.key),
    );
    app.post(
      '/mdm/providers/:key/activate',
      {
        config: admin,
        schema: {
          tags: ['mdm'],
          params: ProviderParams,
          body: ActivateRequest,
          response: { 200: ProviderTile, ...errors },
        },
      },
      async (request) =>
        connections.activate(
          requireContext(request),
          connectionDeps,
          request.params.key,
          request.body.settings,
        ),
    );
    app.patch(
      '/mdm/providers/:key/settings',
      {
        config: admin,
        schema: {
          tags: ['mdm'],
          params: ProviderParams,
          body: SettingsRequest,
          response: { 200: ProviderTile, ...errors },
        },
      },
      async (request) =>
        connections.updateSettings(
          requireContext(request),
          connectionDeps,
          request.params.key,
          request.body.settings,
        ),
    );
    app.post(
      '/mdm/providers/:key/authorize',
      {
        config: admin,
        schema: { tags: ['mdm'], params: ProviderParams, response: { 200: AuthorizeResponse, ...errors } },
      },
      async (request) =>
        connections.startAuthorization(
          requireContext(request),
          connectionDeps,
          request.params.key,
          sessionIdOf(request),
        ),
    );
    app.get(
      '/mdm/providers/:key/oauth/callback',
      {
        config: {
          ...admin,
          // Back from the provider with the session gone (it ended while the admin was on the consent screen).
          signedOutRedirect: (request) => {
            const back = new URLSearchParams({
              provider: (request.params as { key?: string }).key ?? '',
              error: 'session_ended' satisfies AuthorizationFailure,
            });
            return `/settings/mdm?${back}`;
          },
        },
        schema: {
          tags: ['mdm'],
          params: ProviderParams,
          querystring: connections.CallbackQuery,
          response: { 302: z.null() },
        },
      },
      async (request, reply) => {
        const key = request.params.key;
        const back = new URL(`${deps.config.publicUrl}/settings/mdm`);
        back.searchParams.set('provider', key);
        try {
          await connections.completeAuthorization(
            requireContext(request),
            connectionDeps,
            key,
            sessionIdOf(request),
            request.query,
          );
          back.searchParams.set('authorized', '1');
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          const failure = authorizationFailureOf(error, request.query);
          request.log.warn(
            { provider: key, failure, reason: error.message },
            'authorization did not complete',
          );
          back.searchParams.set('error', failure);
        }
        return reply.redirect(back.toString(), 302);
      },
    );
    app.post(
      '/mdm/providers/:key/credentials',
      {
        config: admin,
        schema: {
          tags: ['mdm'],
          params: ProviderParams,
          body: CredentialsRequest,
          response: { 200: ProviderTile, ...errors },
        },
      },
      async (request) =>
        connections.submitCredentials(
          requireContext(request),
          connectionDeps,
          request.params.key,
          request.body,
        ),
    );
    app.post(
      '/mdm/providers/:key/deactivate',
      {
        config: admin,
        schema: { tags: ['mdm'], params: ProviderParams, response: { 200: ProviderTile, ...errors } },
      },
      async (request) => connections.deactivate(requireContext(request), connectionDeps, request.params.key),
    );
    app.delete(
      '/mdm/providers/:key/data',
      {
        config: admin,
        schema: {
          tags: ['mdm'],
          params: ProviderParams,
          response: { 200: z.object({ removed: z.number().int() }), ...errors },
        },
      },
      async (request) =>
        connections.removeSyncedData(requireContext(request), connectionDeps, request.params.key),
    );
    app.post(
      '/mdm/providers/:key/disconnect',
      {
        config: admin,
        schema: { tags: ['mdm'], params: ProviderParams, response: { 200: ProviderTile, ...errors } },
      },
      async (request) => connections.disconnect(requireContext(request), connectionDeps, request.params.key),
    );
  };
}

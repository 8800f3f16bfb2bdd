import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../common/errors.ts';
import { Overview } from '../../common/overview.ts';
import type { AppDeps } from '../app-deps.ts';
import { requireContext } from '../http/authenticate.ts';
import { overview } from './service.ts';

/** The home page reads what the device list and the reports show, so whoever may view devices may read it. */
export function overviewRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const connectionDeps = { db: deps.database.db, keyring: deps.keyring, config: deps.config };
  return async (app) => {
    app.get(
      '/overview',
      {
        config: { access: 'inventory.read' },
        schema: {
          tags: ['reports'],
          summary:
            'Home page figures: devices by status and school, MDM coverage, attention items, sync health',
          response: { 200: Overview, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request) => overview(requireContext(request), connectionDeps),
    );
  };
}

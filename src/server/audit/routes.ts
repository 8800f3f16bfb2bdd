import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditEventList, AuditQuery } from '../../common/audit.ts';
import { ErrorBody } from '../../common/errors.ts';
import type { AppDeps } from '../app-deps.ts';
import { requireContext } from '../http/authenticate.ts';
import { listAudit } from './service.ts';

export function auditRoutes({ database: { db } }: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/audit-events',
      {
        config: { access: 'system.settings' },
        schema: {
          tags: ['audit'],
          querystring: AuditQuery,
          response: { 200: AuditEventList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request) => listAudit(requireContext(request), db, request.query),
    );
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../../common/errors.ts';
import { MdmReport, MdmReportQuery } from '../../../common/reports.ts';
import type { AppDeps } from '../../app-deps.ts';
import { requireContext } from '../../http/authenticate.ts';
import { mdmReport } from './mdm-report.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

/** Reports read what the device list shows, so whoever may view devices may read them. */
export function reportRoutes({ database: { db } }: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/reports/mdm',
      {
        config: { access: 'inventory.read' },
        schema: {
          tags: ['reports'],
          summary: 'MDM fleet report: auto-update expiration, cohorts, silent devices, mismatches, coverage',
          querystring: MdmReportQuery,
          response: { 200: MdmReport, ...errors },
        },
      },
      async (request) => mdmReport(requireContext(request), db, request.query.provider),
    );
  };
}

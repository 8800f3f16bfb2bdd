import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DistrictSettings, UpdateDistrictSettings } from '../../common/districts.ts';
import { ErrorBody } from '../../common/errors.ts';
import type { AppDeps } from '../app-deps.ts';
import { requireContext } from '../http/authenticate.ts';
import { districtSettings, updateDistrictSettings } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

/** The signed-in person's district: its name and time zone, which administrators change. */
export function districtRoutes({ database: { db } }: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/district',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['district'], response: { 200: DistrictSettings, ...errors } },
      },
      async (request) => districtSettings(requireContext(request), db),
    );

    app.patch(
      '/district',
      {
        config: { access: 'system.settings' },
        schema: {
          tags: ['district'],
          body: UpdateDistrictSettings,
          response: { 200: DistrictSettings, ...errors },
        },
      },
      async (request) => updateDistrictSettings(requireContext(request), db, request.body),
    );
  };
}

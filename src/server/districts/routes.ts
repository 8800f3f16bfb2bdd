import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DistrictSettings, UpdateDistrictSettingsRequest } from '../../common/districts.ts';
import { ErrorBody } from '../../common/errors.ts';
import type { AppDeps } from '../app-deps.ts';
import { requireContext } from '../http/authenticate.ts';
import { changeDistrictSettings, readDistrictSettings } from './settings.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export function districtRoutes({ database: { db } }: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/district/settings',
      {
        config: { access: 'system.settings' },
        schema: { tags: ['district'], response: { 200: DistrictSettings, ...errors } },
      },
      async (request) => readDistrictSettings(requireContext(request), db),
    );

    app.patch(
      '/district/settings',
      {
        config: { access: 'system.settings' },
        schema: {
          tags: ['district'],
          body: UpdateDistrictSettingsRequest,
          response: { 200: DistrictSettings, ...errors },
        },
      },
      async (request) => changeDistrictSettings(requireContext(request), db, request.body),
    );
  };
}

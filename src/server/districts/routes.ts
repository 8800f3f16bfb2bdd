import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  DistrictProfile,
  DistrictSettings,
  UpdateDistrictProfile,
  UpdateDistrictSettingsRequest,
} from '../../common/districts.ts';
import { ErrorBody } from '../../common/errors.ts';
import type { AppDeps } from '../app-deps.ts';
import { requireContext } from '../http/authenticate.ts';
import { exportDistrict } from './export.ts';
import { districtProfile, updateDistrictProfile } from './service.ts';
import { changeDistrictSettings, readDistrictSettings } from './settings.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export function districtRoutes({ database: { db } }: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    // The signed-in person's district: its name and time zone, which administrators change.
    app.get(
      '/district',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['district'], response: { 200: DistrictProfile, ...errors } },
      },
      async (request) => districtProfile(requireContext(request), db),
    );

    app.patch(
      '/district',
      {
        config: { access: 'system.settings' },
        schema: {
          tags: ['district'],
          body: UpdateDistrictProfile,
          response: { 200: DistrictProfile, ...errors },
        },
      },
      async (request) => updateDistrictProfile(requireContext(request), db, request.body),
    );

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

    app.get(
      '/district/export.zip',
      {
        config: { access: 'system.settings' },
        schema: { tags: ['district'], produces: ['application/zip'] },
      },
      async (request, reply) => {
        const archive = await exportDistrict(requireContext(request), db);
        const stamp = new Date().toISOString().slice(0, 10);
        return reply
          .type('application/zip')
          .header('content-disposition', `attachment; filename="satchel-district-export-${stamp}.zip"`)
          .send(archive);
      },
    );
  };
}

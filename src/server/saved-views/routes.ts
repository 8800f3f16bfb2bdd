import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../common/errors.ts';
import {
  CreateSavedViewRequest,
  SavedView,
  SavedViewListResponse,
  SavedViewQuery,
  UpdateSavedViewRequest,
} from '../../common/savedViews.ts';
import { IdParams } from '../../common/users.ts';
import type { AppDeps } from '../app-deps.ts';
import { requireContext } from '../http/authenticate.ts';
import { createSavedView, deleteSavedView, listSavedViews, updateSavedView } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** A person's own saved views of the lists they can read. */
export function savedViewRoutes({ database: { db } }: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/saved-views',
      {
        config: { access: 'inventory.read' },
        schema: {
          tags: ['saved views'],
          querystring: SavedViewQuery,
          response: { 200: SavedViewListResponse, ...errors },
        },
      },
      async (request) => ({ views: await listSavedViews(requireContext(request), db, request.query.list) }),
    );

    app.post(
      '/saved-views',
      {
        config: { access: 'inventory.read' },
        schema: {
          tags: ['saved views'],
          body: CreateSavedViewRequest,
          response: { 201: SavedView, ...errors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createSavedView(requireContext(request), db, request.body)),
    );

    app.patch(
      '/saved-views/:id',
      {
        config: { access: 'inventory.read' },
        schema: {
          tags: ['saved views'],
          params: IdParams,
          body: UpdateSavedViewRequest,
          response: { 200: SavedView, ...errors },
        },
      },
      async (request) => updateSavedView(requireContext(request), db, request.params.id, request.body),
    );

    app.delete(
      '/saved-views/:id',
      {
        config: { access: 'inventory.read' },
        schema: { tags: ['saved views'], params: IdParams, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await deleteSavedView(requireContext(request), db, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}

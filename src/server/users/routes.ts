import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { User } from '../../common/auth.ts';
import { ErrorBody } from '../../common/errors.ts';
import {
  CreateUserRequest,
  IdParams,
  InvitationResult,
  InviteUserRequest,
  UpdateUserRequest,
  UserList,
} from '../../common/users.ts';
import type { AppDeps } from '../app-deps.ts';
import { requireContext } from '../http/authenticate.ts';
import { inviteUser, resendInvitation } from './invitations.ts';
import { createUser, listUsers, updateUser } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function userRoutes({ database: { db }, config }: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/users',
      {
        config: { access: 'system.settings' },
        schema: { tags: ['users'], response: { 200: UserList, ...errors } },
      },
      async (request) => ({ users: await listUsers(requireContext(request), db) }),
    );

    app.post(
      '/users',
      {
        config: { access: 'system.settings' },
        schema: { tags: ['users'], body: CreateUserRequest, response: { 201: User, ...errors } },
      },
      async (request, reply) =>
        reply.status(201).send(await createUser(requireContext(request), db, request.body)),
    );

    app.post(
      '/users/invitations',
      {
        config: { access: 'system.settings' },
        schema: {
          tags: ['users'],
          body: InviteUserRequest,
          response: { 201: InvitationResult, ...errors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await inviteUser(requireContext(request), { db, config }, request.body)),
    );

    app.post(
      '/users/:id/invitation',
      {
        config: { access: 'system.settings' },
        schema: { tags: ['users'], params: IdParams, response: { 200: InvitationResult, ...errors } },
      },
      async (request) => resendInvitation(requireContext(request), { db, config }, request.params.id),
    );

    app.patch(
      '/users/:id',
      {
        config: { access: 'system.settings' },
        schema: {
          tags: ['users'],
          params: IdParams,
          body: UpdateUserRequest,
          response: { 200: User, ...errors },
        },
      },
      async (request) => updateUser(requireContext(request), db, request.params.id, request.body),
    );
  };
}

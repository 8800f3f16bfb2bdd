import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { permissionsOf } from '../../common/permissions.ts';
import { resolveToken } from '../auth/api-tokens.ts';
import { safeEqual } from '../auth/crypto.ts';
import type { Identity } from '../auth/identity.ts';
import { csrfTokenFor, resolveSession } from '../auth/sessions.ts';
import type { Config } from '../config.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { CsrfRejected, Forbidden, Unauthenticated } from '../errors.ts';
import { presentsHealthToken } from './health-token.ts';
import { clientMeta, readSessionCookie } from './session-cookie.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One gate for every request: resolves who is calling (bearer token or session cookie), builds the request
 * context from the authenticated user alone, checks CSRF for cookie-authenticated writes, and enforces the
 * route's declared access.
 */
export function registerAuthentication(
  app: FastifyInstance,
  deps: { config: Config; db: Kysely<DB>; secretKey: Buffer },
): void {
  app.decorateRequest('identity', null);
  app.decorateRequest('ctx', null);
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config?.access;
    if (access === undefined || access === 'public') return;
    if (
      request.routeOptions.config?.acceptsHealthToken &&
      presentsHealthToken(request.headers.authorization, deps.config)
    )
      return;

    const identity = await identify(request, deps);
    const redirect = request.routeOptions.config?.signedOutRedirect;
    if (!identity && redirect) return reply.redirect(`${deps.config.publicUrl}${redirect(request)}`, 302);
    if (!identity) throw new Unauthenticated();
    if (identity.via.kind === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      const expected = csrfTokenFor(deps.secretKey, identity.via.tokenHash);
      if (typeof sent !== 'string' || !safeEqual(sent, expected)) throw new CsrfRejected();
    }
    const ctx = contextFor(identity, request);
    if (access !== 'authenticated' && !ctx.permissions.has(access)) throw new Forbidden();
    request.identity = identity;
    request.ctx = ctx;
  });
}

async function identify(
  request: FastifyRequest,
  deps: { config: Config; db: Kysely<DB> },
): Promise<Identity | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1] ? resolveToken(deps.db, match[1]) : null;
  }
  const sessionToken = readSessionCookie(request, deps.config);
  return sessionToken ? resolveSession(deps.db, sessionToken) : null;
}

function contextFor(identity: Identity, request: FastifyRequest): RequestContext {
  const { row } = identity;
  return {
    districtId: row.district_id,
    userId: row.user_id,
    actorLabel: row.email,
    role: row.role,
    permissions: new Set(permissionsOf(row.role)),
    ip: clientMeta(request).ip,
    log: request.log.child({ districtId: row.district_id, userId: row.user_id }),
  };
}

/**
 * For answers that stay open (progress streams): whether the credentials the request came with still sign in
 * the same user, so a stream ends with the session that opened it (signed out, expired, user disabled).
 */
export async function stillSignedIn(
  request: FastifyRequest,
  deps: { config: Config; db: Kysely<DB> },
): Promise<boolean> {
  const identity = await identify(request, deps);
  return identity !== null && identity.row.user_id === request.identity?.row.user_id;
}

/** For handlers of routes that require sign-in: the hook has already set the context. */
export function requireContext(request: FastifyRequest): RequestContext {
  if (!request.ctx) throw new Unauthenticated();
  return request.ctx;
}

export function requireIdentity(request: FastifyRequest): Identity {
  if (!request.identity) throw new Unauthenticated();
  return request.identity;
}

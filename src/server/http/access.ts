import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Permission } from '../../common/permissions.ts';
import type { Identity } from '../auth/identity.ts';
import type { RequestContext } from '../context.ts';

/** What a route requires: nothing, any signed-in user, or one permission. */
export type Access = 'public' | 'authenticated' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Browser-facing routes: where to send a caller who is not signed in, instead of a 401. */
    signedOutRedirect?: (request: FastifyRequest) => string;
    /** Monitoring may also call the route with `Authorization: Bearer <SATCHEL_HEALTH_TOKEN>`. */
    acceptsHealthToken?: boolean;
  }
  interface FastifyRequest {
    identity: Identity | null;
    ctx: RequestContext | null;
  }
}

export interface RouteRecord {
  method: string;
  url: string;
  access: Access | undefined;
}

/**
 * Records every route with the access it declares. Booting fails if any route declares none, and
 * `routes()` lets a test enumerate them.
 */
export function trackRouteAccess(app: FastifyInstance): { routes(): RouteRecord[] } {
  const options: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    options.push(route);
  });
  const routes = () =>
    options.flatMap((route) =>
      [route.method].flat().map((method) => ({ method, url: route.url, access: route.config?.access })),
    );
  app.addHook('onReady', async () => {
    const undeclared = routes().filter((route) => route.access === undefined);
    if (undeclared.length > 0) {
      const list = undeclared.map((route) => `${route.method} ${route.url}`).join(', ');
      throw new Error(`Routes without an access declaration: ${list}`);
    }
  });
  return { routes };
}

/** Plugins that register their own routes (static files, API docs) get them declared public here. */
export function declarePluginRoutesPublic(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, access: route.config?.access ?? 'public' };
  });
}

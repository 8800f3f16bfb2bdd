import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../../src/common/permissions.ts';
import { buildApp } from '../../../src/server/app.ts';
import { withTestApp } from '../../setup/app.ts';

const testApp = withTestApp();

describe('route access declarations', () => {
  it('every registered route declares public, authenticated or a known permission', () => {
    const routes = testApp().routes();
    expect(routes.length).toBeGreaterThan(10);
    const allowed = new Set<string>(['public', 'authenticated', ...PERMISSIONS]);
    const undeclared = routes.filter((route) => !route.access || !allowed.has(route.access));
    expect(undeclared).toEqual([]);
  });

  it('only the sign-in (password and single sign-on), setup, invitation, password reset, health, docs and static routes are public', () => {
    const publicApi = testApp()
      .routes()
      .filter((route) => route.access === 'public' && route.url.startsWith('/api/v1'))
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    expect(publicApi).toEqual([
      'GET /api/v1/health',
      'GET /api/v1/setup/status',
      'GET /api/v1/sign-in/:provider/callback',
      'GET /api/v1/sign-in/:provider/start',
      'GET /api/v1/sign-in/methods',
      'HEAD /api/v1/health',
      'HEAD /api/v1/setup/status',
      'HEAD /api/v1/sign-in/:provider/callback',
      'HEAD /api/v1/sign-in/:provider/start',
      'HEAD /api/v1/sign-in/methods',
      'POST /api/v1/invitation/accept',
      'POST /api/v1/invitation/details',
      'POST /api/v1/password-reset',
      'POST /api/v1/password-reset/complete',
      'POST /api/v1/session',
      'POST /api/v1/session/district',
      'POST /api/v1/setup',
    ]);
  });

  it('refuses to boot when a route lacks a declaration', async () => {
    const { deps } = testApp();
    const { app } = await buildApp(deps);
    (app as FastifyInstance).get('/api/v1/forgotten', async () => 'oops');
    await expect(app.ready()).rejects.toThrow(/GET \/api\/v1\/forgotten/);
    await app.close().catch(() => {});
  });
});

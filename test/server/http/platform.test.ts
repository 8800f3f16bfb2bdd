import { describe, expect, it } from 'vitest';
import { withTestApp } from '../../setup/app.ts';
import { testDatabaseKind } from '../../setup/database.ts';
import { addUser, createDistrict, signIn } from '../../setup/factories.ts';

const HEALTH_TOKEN = 'a-monitoring-token-for-tests';
const testApp = withTestApp({ SATCHEL_HEALTH_TOKEN: HEALTH_TOKEN });

describe('health, errors and headers', () => {
  it('says only that it is up without authentication; the details need an administrator or the health token', async () => {
    const { app, database } = testApp();
    const response = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });

    const details = (headers: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url: '/api/v1/health/details', headers });
    // This app runs no job queue: nothing is queued and no process works the queues.
    const report = { status: 'ok', role: 'all', database: testDatabaseKind(), queues: {}, instances: [] };
    expect((await details()).statusCode).toBe(401);
    expect((await details({ authorization: 'Bearer not-the-health-token' })).statusCode).toBe(401);
    expect((await details({ authorization: `Bearer ${HEALTH_TOKEN}` })).json()).toEqual(report);
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    expect((await admin.inject({ method: 'GET', url: '/api/v1/health/details' })).json()).toEqual(report);
    const technician = await signIn(app, await addUser(database, district, 'technician'));
    expect((await technician.inject({ method: 'GET', url: '/api/v1/health/details' })).statusCode).toBe(403);
  });

  it('sends a strict content security policy and other security headers', async () => {
    const response = await testApp().app.inject({ method: 'GET', url: '/api/v1/health' });
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('answers unknown API paths with the JSON error shape', async () => {
    const response = await testApp().app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: 'No route for GET /api/v1/nothing-here' },
    });
  });

  it('reports validation problems per field without a stack trace', async () => {
    const response = await testApp().app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'not-an-email', password: '' },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe('invalid');
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'body.email',
      'body.password',
    ]);
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('rejects malformed JSON with a clear error', async () => {
    const response = await testApp().app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid');
  });

  it('serves the OpenAPI document generated from the schemas', async () => {
    const response = await testApp().app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/session', '/api/v1/users/{id}']),
    );
  });
});

describe('behind https', () => {
  const secureApp = withTestApp({ PUBLIC_URL: 'https://satchel.example.org' });

  it('adds HSTS', async () => {
    const response = await secureApp().app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.headers['strict-transport-security']).toContain('max-age=31536000');
  });
});

describe('provider setup guides', () => {
  const docsApp = withTestApp();

  it('are served at the address the tile links to', async () => {
    const response = await docsApp().app.inject({ method: 'GET', url: '/docs/providers/google.md' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(response.body).toContain('/api/v1/mdm/providers/google/oauth/callback');
    for (const url of ['/docs/../package.json', '/docs/%2e%2e/package.json', '/docs/..%2fpackage.json']) {
      expect((await docsApp().app.inject({ method: 'GET', url })).body).not.toContain('devDependencies');
    }
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.ts';
import { withTestApp } from '../../setup/app.ts';
import { createDistrict, PASSWORD, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

describe('API responses', () => {
  it('all say Cache-Control: no-store, errors and the sign-in answer included', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const signedIn = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: district.admin.email, password: PASSWORD },
    });
    expect(signedIn.statusCode).toBe(200);
    const session = await signIn(app, district.admin);
    const answers = [
      signedIn,
      await session.inject({ method: 'GET', url: '/api/v1/me' }),
      await session.inject({ method: 'GET', url: '/api/v1/users' }),
      await session.inject({ method: 'GET', url: '/api/v1/people' }),
      await session.inject({ method: 'GET', url: '/api/v1/devices/export.csv' }),
      await app.inject({ method: 'GET', url: '/api/v1/me' }),
      await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' }),
      await app.inject({ method: 'GET', url: '/api/v1/health' }),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 200, 200, 401, 404, 200]);
    for (const answer of answers) expect(answer.headers['cache-control']).toBe('no-store');
  });
});

describe('the web app', () => {
  it('is what GET / serves to a visitor who is not signed in', async () => {
    const webDir = await mkdtemp(path.join(tmpdir(), 'satchel-web-'));
    await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>Satchel</title>');
    const { deps } = testApp();
    const { app } = await buildApp({ ...deps, config: { ...deps.config, webDir } });
    try {
      const root = await app.inject({ method: 'GET', url: '/' });
      expect(root.statusCode).toBe(200);
      expect(root.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(root.body).toContain('<title>Satchel</title>');
      expect((await app.inject({ method: 'GET', url: '/devices' })).body).toBe(root.body);
    } finally {
      await app.close();
      await rm(webDir, { recursive: true, force: true });
    }
  });
});

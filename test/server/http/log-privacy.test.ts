import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../../src/server/logger.ts';
import { createTestApp, type TestApp } from '../../setup/app.ts';
import { createDistrict, signIn } from '../../setup/factories.ts';

const logLines: string[] = [];
let testApp: TestApp;

beforeAll(async () => {
  const capture = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  testApp = await createTestApp({}, pino(loggerOptions({ logLevel: 'trace' }), capture));
});
afterAll(async () => {
  await testApp.app.close();
  await testApp.database.close();
});

describe('personal data in logs', () => {
  it('logs no email tried at sign-in and no search term', async () => {
    const { app, database } = testApp;
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'who.is.this@students.example.org', password: 'a guess' },
    });
    expect(unknown.statusCode).toBe(401);
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const search = await admin.inject({
      method: 'GET',
      url: '/api/v1/people?q=stu.dent%40students.example.org',
    });
    expect(search.statusCode).toBe(200);

    const logged = logLines.join('\n');
    expect(logged).toContain('/api/v1/people?q=~');
    for (const personal of ['who.is.this', 'stu.dent', district.admin.email])
      expect(logged).not.toContain(personal);
  });
});

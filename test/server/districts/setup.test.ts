import { describe, expect, it } from 'vitest';
import { issueSetupLinkIfEmpty } from '../../../src/server/districts/service.ts';
import { withTestApp } from '../../setup/app.ts';
import { PASSWORD } from '../../setup/factories.ts';

const testApp = withTestApp();

function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token')!;
}

// This file's database starts empty; the tests run in order and the first creates the first district.
describe('first-run setup link', () => {
  let link: string;

  it('is issued only while no district exists, and reports its validity', async () => {
    const { app, database } = testApp();
    link = (await issueSetupLinkIfEmpty(database.db, 'http://localhost:3000'))!;
    expect(link).toMatch(/^http:\/\/localhost:3000\/setup\?token=[\w-]{43}$/);
    const status = await app.inject({ method: 'GET', url: `/api/v1/setup/status?token=${tokenOf(link)}` });
    expect(status.json().valid).toBe(true);
    const expiresIn = new Date(status.json().expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(59 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(60 * 60_000);
    const bogus = await app.inject({ method: 'GET', url: '/api/v1/setup/status?token=bogus' });
    expect(bogus.json()).toEqual({ valid: false, expiresAt: null });
  });

  it('creates the district and its administrator, and signs them in', async () => {
    const { app } = testApp();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: {
        token: tokenOf(link),
        districtName: 'Maple Unified',
        adminName: 'Morgan Lee',
        adminEmail: 'morgan@maple.k12.us',
        adminPassword: PASSWORD,
        timeZone: 'America/Denver',
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      district: { name: 'Maple Unified' },
      user: { email: 'morgan@maple.k12.us', role: 'district_admin' },
    });
    const cookie = response.cookies.find((c) => c.name === 'satchel_session')!;
    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `${cookie.name}=${cookie.value}` },
    });
    expect(me.statusCode).toBe(200);
    // The browser's time zone at setup becomes the district's.
    const district = await app.inject({
      method: 'GET',
      url: '/api/v1/district',
      headers: { cookie: `${cookie.name}=${cookie.value}` },
    });
    expect(district.json()).toEqual({ name: 'Maple Unified', timeZone: 'America/Denver' });
  });

  it('cannot be used twice, and no new link is issued once a district exists', async () => {
    const { app, database } = testApp();
    const replay = await app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: {
        token: tokenOf(link),
        districtName: 'Impostor',
        adminName: 'Eve',
        adminEmail: 'eve@example.org',
        adminPassword: PASSWORD,
      },
    });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.message).toMatch(/invalid, expired or already used/);
    const districts = await database.db.selectFrom('districts').select('name').execute();
    expect(districts.map((d) => d.name)).toEqual(['Maple Unified']);
    expect(await issueSetupLinkIfEmpty(database.db, 'http://localhost:3000')).toBeNull();
  });

  it('refuses an expired link and changes nothing', async () => {
    const { app, database } = testApp();
    await database.db.deleteFrom('districts').execute();
    const expired = (await issueSetupLinkIfEmpty(database.db, 'http://localhost:3000'))!;
    await database.db
      .updateTable('setup_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: {
        token: tokenOf(expired),
        districtName: 'Late',
        adminName: 'Late Admin',
        adminEmail: 'late@example.org',
        adminPassword: PASSWORD,
      },
    });
    expect(response.statusCode).toBe(400);
    expect(await database.db.selectFrom('districts').select('id').execute()).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { PROVIDER_KEYS } from '../../../src/common/provider-keys.ts';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createDistrict, type Session, signIn } from '../../setup/factories.ts';

const GOOGLE = {
  GOOGLE_CLIENT_ID: 'satchel-test-client.apps.googleusercontent.com',
  GOOGLE_CLIENT_SECRET: 'test-client-secret',
  GOOGLE_OAUTH_AUTH_URL: 'http://127.0.0.1:9/o/oauth2/v2/auth',
  PUBLIC_URL: 'https://satchel.example.org',
};
const testApp = withTestApp(GOOGLE);

async function admin(): Promise<{ session: Session; districtId: string }> {
  const { app, database } = testApp();
  const district = await createDistrict(database);
  return { session: await signIn(app, district.admin), districtId: district.id };
}

const provider = (session: Session, path = '', method: 'GET' | 'POST' | 'PATCH' = 'GET', payload?: object) =>
  session.inject({ method, url: `/api/v1/mdm/providers/google${path}`, ...(payload ? { payload } : {}) });

describe('MDM Settings: tiles and activation', () => {
  it('lists every provider as a tile, inactive until activated', async () => {
    const { session } = await admin();
    const response = await session.inject({ method: 'GET', url: '/api/v1/mdm/providers' });
    expect(response.statusCode).toBe(200);
    const tiles = response.json().providers;
    expect(tiles.map((tile: { key: string }) => tile.key)).toEqual([...PROVIDER_KEYS]);
    for (const tile of tiles)
      expect(tile).toMatchObject({
        state: 'inactive',
        settings: null,
        hasStoredAuthorization: false,
        guideUrl: `/docs/providers/${tile.key}.md`,
      });
    const methods = Object.fromEntries(
      tiles.map((tile: { key: string; authMethods: unknown }) => [tile.key, tile.authMethods]),
    );
    expect(methods).toMatchObject({
      jamf_pro: [{ key: 'client_credentials', kind: 'credentials', unavailableReason: null }],
      jamf_school: [{ key: 'api_key', kind: 'credentials', unavailableReason: null }],
    });
  });

  it('activates with defaulted settings and then needs authorization; bad settings are refused per field', async () => {
    const { session } = await admin();
    const bad = await provider(session, '/activate', 'POST', {
      settings: { intervalMinutes: 5, orgUnitPaths: ['Students'], syncedStatuses: [] },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['settings.intervalMinutes', 'settings.orgUnitPaths.0', 'settings.syncedStatuses']);
    const activated = await provider(session, '/activate', 'POST', {
      settings: { orgUnitPaths: ['/Students'] },
    });
    expect(activated.statusCode).toBe(200);
    expect(activated.json()).toMatchObject({
      state: 'needs_authorization',
      settings: {
        customerId: 'my_customer',
        orgUnitPaths: ['/Students'],
        intervalMinutes: 360,
        authMethod: 'oauth',
        syncedStatuses: ['in_service', 'spare', 'in_repair', 'lost', 'stolen'],
      },
    });
    expect((await provider(session, '/activate', 'POST', { settings: {} })).statusCode).toBe(409);
  });

  it('changes settings with an audited diff, deactivates, and re-activation reuses the stored settings', async () => {
    const { database } = testApp();
    const { session, districtId } = await admin();
    await provider(session, '/activate', 'POST', { settings: {} });
    const changed = await provider(session, '/settings', 'PATCH', { settings: { intervalMinutes: 120 } });
    expect(changed.json().settings.intervalMinutes).toBe(120);
    const deactivated = await provider(session, '/deactivate', 'POST');
    expect(deactivated.json()).toMatchObject({
      state: 'inactive',
      statusReason: expect.stringMatching(/^Deactivated by /),
    });
    expect((await provider(session, '/deactivate', 'POST')).statusCode).toBe(409);
    const again = await provider(session, '/activate', 'POST', { settings: {} });
    expect(again.json()).toMatchObject({ state: 'needs_authorization', settings: { intervalMinutes: 120 } });
    const events = await database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('district_id', '=', districtId)
      .where('subject_type', '=', 'mdm_provider')
      .orderBy('created_at')
      .execute();
    expect(events.map((event) => event.action)).toEqual([
      'mdm.activated',
      'mdm.settings_changed',
      'mdm.deactivated',
      'mdm.activated',
    ]);
    expect(events[1]?.details).toEqual({ changes: { intervalMinutes: { from: 360, to: 120 } } });
  });

  it('is for district administrators only, on every route, and districts never see each other’s', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const adminSession = await signIn(app, district.admin);
    await provider(adminSession, '/activate', 'POST', { settings: { intervalMinutes: 600 } });
    for (const role of ['technician', 'viewer'] as const) {
      const session = await signIn(app, await addUser(database, district, role));
      const attempts = [
        session.inject({ method: 'GET', url: '/api/v1/mdm/providers' }),
        provider(session),
        provider(session, '/activate', 'POST', { settings: {} }),
        provider(session, '/settings', 'PATCH', { settings: { intervalMinutes: 60 } }),
        provider(session, '/authorize', 'POST'),
        provider(session, '/oauth/callback?state=x&code=y'),
        provider(session, '/credentials', 'POST', {
          serviceAccountKey: {},
          impersonatedAdmin: 'a@example.org',
        }),
        provider(session, '/deactivate', 'POST'),
        provider(session, '/disconnect', 'POST'),
      ];
      for (const response of await Promise.all(attempts)) expect(response.statusCode).toBe(403);
    }
    const other = await admin();
    const theirs = (await provider(other.session)).json();
    expect(theirs).toMatchObject({ state: 'inactive', settings: null });
    expect((await provider(adminSession)).json().settings.intervalMinutes).toBe(600);
  });
});

describe('Google authorization request', () => {
  it('sends the admin to the consent screen with least privilege, offline access, PKCE S256 and a fresh state', async () => {
    const { session } = await admin();
    expect((await provider(session, '/authorize', 'POST')).statusCode).toBe(409);
    await provider(session, '/activate', 'POST', { settings: {} });
    const first = await session.inject({
      method: 'POST',
      url: '/api/v1/mdm/providers/google/authorize',
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    });
    expect(first.statusCode).toBe(200);
    const url = new URL(first.json().authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(GOOGLE.GOOGLE_OAUTH_AUTH_URL);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      client_id: GOOGLE.GOOGLE_CLIENT_ID,
      redirect_uri: 'https://satchel.example.org/api/v1/mdm/providers/google/oauth/callback',
      response_type: 'code',
      access_type: 'offline',
      prompt: 'consent',
      code_challenge_method: 'S256',
    });
    expect(params.scope?.split(' ').sort()).toEqual([
      'email',
      'https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly',
      'openid',
    ]);
    expect(params.state).toMatch(/^[\w-]{43}$/);
    expect(params.code_challenge).toMatch(/^[\w-]{43}$/);
    const second = new URL((await provider(session, '/authorize', 'POST')).json().authorizationUrl);
    expect(second.searchParams.get('state')).not.toBe(params.state);
    expect(second.searchParams.get('code_challenge')).not.toBe(params.code_challenge);
  });

  it('refuses to start from an API token, which has no browser session to bind the state to', async () => {
    const { app } = testApp();
    const { session } = await admin();
    await provider(session, '/activate', 'POST', { settings: {} });
    const token = (
      await session.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'script' } })
    ).json().secret;
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/mdm/providers/google/authorize',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/signed-in browser/);
  });

  it('refuses replayed, unknown, other-session and other-district states, and denied consent, changing nothing', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const mine = await signIn(app, district.admin);
    const otherTab = await signIn(app, district.admin);
    await provider(mine, '/activate', 'POST', { settings: {} });
    const stateOf = async () =>
      new URL((await provider(mine, '/authorize', 'POST')).json().authorizationUrl).searchParams.get(
        'state',
      )!;
    const errorOf = (response: { statusCode: number; headers: Record<string, unknown> }) => {
      expect(response.statusCode).toBe(302);
      const location = new URL(String(response.headers.location));
      expect(location.pathname).toBe('/settings/mdm');
      return location.searchParams.get('error');
    };

    const denied = await stateOf();
    expect(errorOf(await provider(mine, `/oauth/callback?state=${denied}&error=access_denied`))).toBe(
      'access_denied',
    );
    expect(errorOf(await provider(mine, `/oauth/callback?state=${denied}&code=abc`))).toBe('state_invalid');
    expect(errorOf(await provider(mine, '/oauth/callback?state=forged&code=abc'))).toBe('state_invalid');
    expect(errorOf(await provider(mine, '/oauth/callback?code=abc'))).toBe('state_invalid');
    const stolen = await stateOf();
    expect(errorOf(await provider(otherTab, `/oauth/callback?state=${stolen}&code=abc`))).toBe(
      'state_invalid',
    );
    expect(errorOf(await provider(mine, `/oauth/callback?state=${stolen}&code=abc`))).toBe('state_invalid');
    const expired = await stateOf();
    await database.db
      .updateTable('oauth_states')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('consumed_at', 'is', null)
      .execute();
    expect(errorOf(await provider(mine, `/oauth/callback?state=${expired}&code=abc`))).toBe('state_invalid');

    const other = await admin();
    await provider(other.session, '/activate', 'POST', { settings: {} });
    const fresh = await stateOf();
    expect(errorOf(await provider(other.session, `/oauth/callback?state=${fresh}&code=abc`))).toBe(
      'state_invalid',
    );
    expect((await provider(mine)).json()).toMatchObject({
      state: 'needs_authorization',
      hasStoredAuthorization: false,
    });
    const verifiers = await database.db.selectFrom('oauth_states').select('code_verifier').execute();
    for (const { code_verifier } of verifiers) expect(code_verifier).toMatch(/^satchel1\./);

    // Each refused state is in the audit log with why: already used (twice), forged, missing, another
    // session's, expired.
    const rejected = await database.db
      .selectFrom('audit_events')
      .select('details')
      .where('district_id', '=', district.id)
      .where('action', '=', 'mdm.authorization_rejected')
      .execute();
    expect(rejected).toHaveLength(6);
    for (const { details } of rejected) expect(details).toMatchObject({ reason: 'invalid' });
  });
});

describe('Google service-account keys', () => {
  it('validates the uploaded key before any connection test, auditing each refusal', async () => {
    const { session, districtId } = await admin();
    await provider(session, '/activate', 'POST', { settings: { authMethod: 'service_account' } });
    const cases: [unknown, RegExp][] = [
      ['not json', /not JSON/],
      [
        { type: 'authorized_user', client_email: 'x@y.iam.gserviceaccount.com', private_key: 'k' },
        /not a service-account key/,
      ],
      [{ type: 'service_account', private_key: 'k' }, /client_email/],
      [
        {
          type: 'service_account',
          client_email: 'sa@p.iam.gserviceaccount.com',
          private_key: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n',
        },
        /not a valid PEM/,
      ],
    ];
    for (const [serviceAccountKey, message] of cases) {
      const response = await provider(session, '/credentials', 'POST', {
        serviceAccountKey,
        impersonatedAdmin: 'admin@district.example.org',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toMatch(message);
      expect(response.body).not.toContain('BEGIN PRIVATE KEY');
    }
    expect((await provider(session)).json().state).toBe('needs_authorization');
    const refused = await testApp()
      .database.db.selectFrom('audit_events')
      .select('details')
      .where('district_id', '=', districtId)
      .where('action', '=', 'mdm.authorization_rejected')
      .execute();
    expect(refused).toHaveLength(cases.length);
    expect(JSON.stringify(refused)).not.toContain('PRIVATE KEY-----\nnope');
  });
});

describe('Remove synced data', () => {
  it('deletes only this district’s records of this provider, and records can never outlive or cross to another district’s device', async () => {
    const { app, database } = testApp();
    const mine = await createDistrict(database);
    const theirs = await createDistrict(database);
    const session = await signIn(app, mine.admin);
    const device = (
      await session.inject({ method: 'POST', url: '/api/v1/devices', payload: { serialNumber: 'REC1' } })
    ).json();
    const theirSession = await signIn(app, theirs.admin);
    const theirDevice = (
      await theirSession.inject({ method: 'POST', url: '/api/v1/devices', payload: { serialNumber: 'REC1' } })
    ).json();
    const record = (districtId: string, deviceId: string) => ({
      district_id: districtId,
      device_id: deviceId,
      provider: 'google',
      provider_device_id: 'dev-1',
      fields: JSON.stringify({ osVersion: '130' }),
      extras: JSON.stringify({}),
      match_state: 'matched' as const,
      fetched_at: new Date(),
    });
    await database.db
      .insertInto('mdm_device_records')
      .values([record(mine.id, device.id), record(theirs.id, theirDevice.id)])
      .execute();
    await expect(
      database.db
        .insertInto('mdm_device_records')
        .values({ ...record(mine.id, theirDevice.id), provider: 'other' })
        .execute(),
    ).rejects.toThrow(/foreign key/);

    const removed = await session.inject({ method: 'DELETE', url: '/api/v1/mdm/providers/google/data' });
    expect(removed.json()).toEqual({ removed: 1 });
    const left = await database.db.selectFrom('mdm_device_records').select('district_id').execute();
    expect(left.map((row) => row.district_id)).toEqual([theirs.id]);
    const technician = await signIn(app, await addUser(database, mine, 'technician'));
    expect(
      (await technician.inject({ method: 'DELETE', url: '/api/v1/mdm/providers/google/data' })).statusCode,
    ).toBe(403);
  });
});

describe('MDM Settings on an installation that allows private provider addresses', () => {
  const permissive = withTestApp({ ...GOOGLE, SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS: 'true' });

  it('says so on the tiles of providers with a district-entered address, and only there', async () => {
    const { app, database } = permissive();
    const session = await signIn(app, (await createDistrict(database)).admin);
    const tiles: { key: string; privateUrlsAllowed: boolean }[] = (
      await session.inject({ method: 'GET', url: '/api/v1/mdm/providers' })
    ).json().providers;
    const allowing = tiles.filter((tile) => tile.privateUrlsAllowed).map((tile) => tile.key);
    expect(allowing.length).toBeGreaterThan(0);
    expect(allowing).not.toContain('google');
    const strict = (
      await (await admin()).session.inject({ method: 'GET', url: '/api/v1/mdm/providers' })
    ).json().providers as { privateUrlsAllowed: boolean }[];
    expect(strict.every((tile) => !tile.privateUrlsAllowed)).toBe(true);
  });
});

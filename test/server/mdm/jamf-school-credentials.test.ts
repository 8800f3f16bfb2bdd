import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeJamfSchool, generateFleet, startFakeJamfSchool } from '../../../fakes/jamf-school/index.ts';
import { generateDemoData } from '../../../src/server/inventory/demo-data.ts';
import { insertConnection } from '../../../src/server/mdm/connections/queries.ts';
import { runSync } from '../../../src/server/mdm/sync/engine.ts';
import { queueRun } from '../../../src/server/mdm/sync/runs.ts';
import { silentLog, type TestApp, withTestApp } from '../../setup/app.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';

const PROVIDER = '/api/v1/mdm/providers/jamf_school';

let fake: FakeJamfSchool;
beforeAll(async () => {
  fake = await startFakeJamfSchool({ devices: generateFleet({ size: 20, seed: 'credentials' }) });
});
afterAll(() => fake.close());

async function adminOf(testApp: TestApp): Promise<{ session: Session; districtId: string }> {
  const district = await createDistrict(testApp.database);
  return { session: await signIn(testApp.app, district.admin), districtId: district.id };
}

describe('authorizing Jamf School with a Network ID and API key', () => {
  const testApp = withTestApp({ SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS: 'true' });

  async function activated(baseUrl = fake.url) {
    const admin = await adminOf(testApp());
    const response = await admin.session.inject({
      method: 'POST',
      url: `${PROVIDER}/activate`,
      payload: { settings: { baseUrl } },
    });
    expect(response.statusCode, response.body).toBe(200);
    return admin;
  }

  const submit = (session: Session, payload: object) =>
    session.inject({ method: 'POST', url: `${PROVIDER}/credentials`, payload });

  it('stores the address one way however it is typed, and the time zone by its IANA name', async () => {
    const { session } = await adminOf(testApp());
    const bad = await session.inject({
      method: 'POST',
      url: `${PROVIDER}/activate`,
      payload: { settings: { timeZone: 'Mars/Olympus_Mons' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((detail: { path: string }) => detail.path)
        .sort(),
    ).toEqual(['settings.baseUrl', 'settings.timeZone']);
    const response = await session.inject({
      method: 'POST',
      url: `${PROVIDER}/activate`,
      payload: {
        settings: {
          baseUrl: ` ${fake.url}/api/ `,
          timeZone: 'australia/brisbane',
        },
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      state: 'needs_authorization',
      authMethods: [{ key: 'api_key', kind: 'credentials' }],
      settings: {
        baseUrl: fake.url,
        timeZone: 'Australia/Brisbane',
        authMethod: 'api_key',
        requestScope: 'tracked_only',
      },
    });
  });

  it('tests the credentials with one lookup of a serial no device has, then becomes active', async () => {
    const { session, districtId } = await activated();
    const mark = fake.mark();
    const accepted = await submit(session, { networkId: ` ${fake.networkId} `, apiKey: fake.apiKey });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      state: 'active',
      authorizedAccount: `Network ID ${fake.networkId}`,
    });
    expect(accepted.body).not.toContain(fake.apiKey);
    const calls = fake.requestsSince(mark);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'GET',
      operation: 'devices.lookup',
      listing: false,
      serials: ['SATCHEL-CONNECTION-TEST'],
      protocolVersion: '3',
      networkId: fake.networkId,
      status: 200,
      resultCount: 0,
    });
    const stored = await testApp()
      .database.db.selectFrom('mdm_connections')
      .select(['secret', 'auth_method'])
      .where('district_id', '=', districtId)
      .executeTakeFirstOrThrow();
    expect(stored.auth_method).toBe('api_key');
    expect(JSON.stringify(stored.secret)).not.toContain(fake.apiKey);
  });

  it('names what to fix when Jamf School refuses the credentials', async () => {
    fake.addApiKey('default', { apiKey: 'KEYWITHOUTDEVICES', rights: { devices: 'none' } });
    const { session } = await activated();
    const cases: [object, RegExp][] = [
      [{ networkId: fake.networkId, apiKey: 'WRONGKEY' }, /refused the Network ID and API key \(401\)/],
      [{ networkId: '99999999', apiKey: fake.apiKey }, /refused the Network ID and API key \(401\)/],
      [
        { networkId: fake.networkId, apiKey: 'KEYWITHOUTDEVICES' },
        /\(405\): it needs read access to devices/,
      ],
    ];
    for (const [credentials, message] of cases) {
      const refused = await submit(session, credentials);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.message).toMatch(message);
    }
    const malformed = await submit(session, { networkId: 'has:colon', apiKey: '' });
    expect(malformed.statusCode).toBe(400);
    expect(
      malformed
        .json()
        .error.details.map((detail: { path: string }) => detail.path)
        .sort(),
    ).toEqual(['credentials.apiKey', 'credentials.networkId']);
    const tile = (await session.inject({ method: 'GET', url: PROVIDER })).json();
    expect(tile).toMatchObject({ state: 'needs_authorization', hasStoredAuthorization: false });
  });

  it('says to check the address when nothing answers for the device list there', async () => {
    const { session } = await activated(`${fake.url}/instances/elsewhere`);
    const refused = await submit(session, { networkId: fake.networkId, apiKey: fake.apiKey });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toMatch(/404 .*check the Jamf School address/);
  });

  it('refuses a redirect rather than follow it', async () => {
    const elsewhere = { requests: 0 };
    const target = createServer((_request, response) => {
      elsewhere.requests++;
      response.end('{}');
    });
    const redirecting = createServer((_request, response) =>
      response.writeHead(302, { location: `http://127.0.0.1:${port(target)}/api/devices` }).end(),
    );
    try {
      await Promise.all([listen(target), listen(redirecting)]);
      const { session } = await activated(`http://127.0.0.1:${port(redirecting)}`);
      const refused = await submit(session, { networkId: fake.networkId, apiKey: fake.apiKey });
      expect(refused.statusCode).toBe(502);
      expect(refused.json().error.message).toMatch(/connection test failed: .*302, a redirect/);
      expect(elsewhere.requests).toBe(0);
    } finally {
      target.close();
      redirecting.close();
    }
  });

  it('asks for a new key when the stored one loses its right to read devices', async () => {
    const apiKey = 'KEYTHATLOSESITSRIGHT';
    fake.addApiKey('default', { apiKey });
    const { session, districtId } = await activated();
    const database = testApp().database;
    await generateDemoData(database.db, districtId, { devices: 10, people: 5, seed: 7 });
    expect((await submit(session, { networkId: fake.networkId, apiKey })).statusCode).toBe(200);
    fake.removeRight('default', apiKey, 'devices');
    const connection = await database.db
      .selectFrom('mdm_connections')
      .select('id')
      .where('district_id', '=', districtId)
      .executeTakeFirstOrThrow();
    const { run } = await queueRun(database.db, {
      districtId,
      connectionId: connection.id,
      provider: 'jamf_school',
      trigger: 'manual',
    });
    const { config, keyring } = testApp().deps;
    await runSync(
      { db: database.db, keyring, config, log: silentLog },
      run.id,
      districtId,
      new AbortController().signal,
    );
    const tile = (await session.inject({ method: 'GET', url: PROVIDER })).json();
    expect(tile).toMatchObject({
      state: 'needs_reauthorization',
      statusReason: expect.stringMatching(/no longer has read access to devices \(405\)/),
    });
  });
});

function listen(server: Server): Promise<unknown> {
  server.listen(0, '127.0.0.1');
  return once(server, 'listening');
}

function port(server: Server): number {
  return (server.address() as AddressInfo).port;
}

describe('the Jamf School address, on an installation that allows only public https addresses', () => {
  const testApp = withTestApp();

  it('refuses an address that breaks a rule on save, naming the rule', async () => {
    const { session } = await adminOf(testApp());
    const cases: [string, string][] = [
      ['https://127.0.0.1', 'address'],
      ['https://[::1]/', 'address'],
      ['https://169.254.169.254', 'address'],
      ['https://10.1.2.3', 'address'],
      ['http://district.jamfcloud.com', 'scheme'],
      ['https://admin:secret@district.jamfcloud.com', 'credentials'],
      ['https://district.jamfcloud.com/#devices', 'fragment'],
      ['https://district.jamfcloud.com/?next=/', 'query'],
      ['district.jamfcloud.com', 'url'],
    ];
    for (const [baseUrl, rule] of cases) {
      const refused = await session.inject({
        method: 'POST',
        url: `${PROVIDER}/activate`,
        payload: { settings: { baseUrl } },
      });
      expect(refused.statusCode, baseUrl).toBe(400);
      expect(refused.json().error.details, baseUrl).toMatchObject({ rule });
    }
  });

  it('checks every connection again, so an address stored before the rules held reaches nothing', async () => {
    const { session, districtId } = await adminOf(testApp());
    await insertConnection(testApp().database.db, {
      id: randomUUID(),
      districtId,
      provider: 'jamf_school',
      state: 'needs_authorization',
      settings: { baseUrl: `https://127.0.0.1:${fake.port}` },
    });
    const changed = await session.inject({
      method: 'PATCH',
      url: `${PROVIDER}/settings`,
      payload: { settings: { baseUrl: 'https://192.168.0.10' } },
    });
    expect(changed.statusCode).toBe(400);
    expect(changed.json().error.details).toMatchObject({ rule: 'address', range: 'private' });
    const mark = fake.mark();
    const refused = await session.inject({
      method: 'POST',
      url: `${PROVIDER}/credentials`,
      payload: { networkId: fake.networkId, apiKey: fake.apiKey },
    });
    expect(refused.statusCode).toBe(502);
    expect(refused.json().error.message).toMatch(
      /127\.0\.0\.1, a loopback address; Satchel only connects to public addresses/,
    );
    expect(fake.requestsSince(mark)).toEqual([]);
  });
});

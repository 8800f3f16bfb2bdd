import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT,
  type FakeInstanceOptions,
  type FakeJamfPro,
  type FakeLogEntry,
  generateFleet,
  startFakeJamfPro,
} from '../../../fakes/jamf-pro/index.ts';
import { DEVICE_STATUSES } from '../../../src/common/inventory.ts';
import { systemContext } from '../../../src/server/context.ts';
import { generateDemoData } from '../../../src/server/inventory/demo-data.ts';
import { listTrackableDevices } from '../../../src/server/inventory/index.ts';
import { createTestApp, silentLog, type TestApp } from '../../setup/app.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';
import { type ConnectedDistrict, providerDistricts } from '../../setup/providers/districts.ts';
import type { ProviderFake } from '../../setup/providers/harness.ts';
import { jamfProviderFake } from '../../setup/providers/jamf-pro.ts';

/**
 * Jamf Pro's API client through Satchel's HTTP API, against the fake on loopback: how a client is tested before
 * it is stored (and each refusal's message), how tokens are obtained, renewed and refused, and how runs keep
 * to one server, to five requests at a time, and to what an exact lookup can find.
 */
let fake: FakeJamfPro;
let providerFake: ProviderFake;
let testApp: TestApp;
beforeAll(async () => {
  fake = await startFakeJamfPro();
  providerFake = jamfProviderFake(fake);
  testApp = await createTestApp(providerFake.environment);
});
afterAll(async () => {
  await testApp?.app.close();
  await testApp?.database.close();
  await fake?.close();
});

const districts = providerDistricts('jamf_pro', () => ({ fake: providerFake, testApp }));
const TRACKED_STATUSES = ['in_service', 'spare', 'in_repair', 'lost', 'stolen'] as const;
const CREDENTIALS = { clientId: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret };
let instances = 0;

interface Activated {
  session: Session;
  name: string;
  districtId: string;
  tracked: { id: string; serialKey: string }[];
  all: { id: string; serialKey: string }[];
}

/**
 * A district with inventory and Jamf Pro activated (not yet authorized) on an instance of its own, whose fleet
 * is made from the district's serials.
 */
async function activated(
  options: {
    devices?: number;
    requestScope?: 'tracked_only' | 'fewest_calls';
    instance?: (serials: string[]) => FakeInstanceOptions;
  } = {},
): Promise<Activated> {
  const district = await createDistrict(testApp.database);
  const seed = ++instances;
  await generateDemoData(testApp.database.db, district.id, {
    devices: options.devices ?? 30,
    people: 20,
    seed,
  });
  const ctx = systemContext(district.id, silentLog);
  const all = await listTrackableDevices(ctx, testApp.database.db, DEVICE_STATUSES);
  const tracked = await listTrackableDevices(ctx, testApp.database.db, TRACKED_STATUSES);
  const serials = all.map((device) => device.serialKey);
  const name = `connection-${seed}`;
  const instance = fake.addInstance(
    name,
    options.instance?.(serials) ?? generateFleet({ size: serials.length, serials, seed }),
  );
  const session = await signIn(testApp.app, district.admin);
  const answer = await session.inject({
    method: 'POST',
    url: '/api/v1/mdm/providers/jamf_pro/activate',
    payload: { settings: { baseUrl: instance.url, requestScope: options.requestScope ?? 'tracked_only' } },
  });
  expect(answer.statusCode, answer.body).toBe(200);
  return { session, name, districtId: district.id, tracked, all };
}

function submit(session: Session, credentials: Record<string, unknown> = CREDENTIALS) {
  return session.inject({
    method: 'POST',
    url: '/api/v1/mdm/providers/jamf_pro/credentials',
    payload: credentials,
  });
}

async function tileOf(session: Session) {
  return (await session.inject({ method: 'GET', url: '/api/v1/mdm/providers/jamf_pro' })).json();
}

/** The district's API client accepted, in the shape the shared sync helpers take. */
async function authorized(district: Activated): Promise<ConnectedDistrict & Activated> {
  const answer = await submit(district.session);
  expect(answer.statusCode, answer.body).toBe(200);
  const connection = await testApp.database.db
    .selectFrom('mdm_connections')
    .select('id')
    .where('district_id', '=', district.districtId)
    .where('provider', '=', 'jamf_pro')
    .executeTakeFirstOrThrow();
  return {
    ...district,
    district: {
      id: district.districtId,
      admin: { id: '', email: '', role: 'district_admin', districtId: district.districtId },
    },
    connectionId: connection.id,
    tenant: null as never,
  };
}

async function connected(options: Parameters<typeof activated>[0] = {}) {
  return authorized(await activated(options));
}

function logOf(name: string, since: number): FakeLogEntry[] {
  return fake.requestsSince(since).filter((entry) => entry.instance === name);
}

describe('Jamf Pro API client: the test before it is stored', () => {
  it('takes a token and one request per inventory that names a serial no device has, then stores the client encrypted', async () => {
    const { session, name } = await activated();
    const mark = fake.mark();
    const answer = await submit(session);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({
      state: 'active',
      authorizedAccount: `API client ${DEFAULT_CLIENT.clientId} at ${new URL(fake.url).host}`,
    });
    const requests = logOf(name, mark);
    expect(requests.map((entry) => [entry.kind, entry.path, entry.status]).sort()).toEqual([
      ['api', '/api/v2/computers-inventory', 200],
      ['api', '/api/v2/mobile-devices/detail', 200],
      ['token', '/api/oauth/token', 200],
    ]);
    for (const entry of requests.filter((request) => request.kind === 'api')) {
      expect(entry).toMatchObject({ listing: false, serials: ['SATCHEL-CONNECTION-TEST'], resultCount: 0 });
      expect(entry.query['page-size']).toBe('1');
    }
    const stored = await testApp.database.db
      .selectFrom('mdm_connections')
      .select(['secret', 'granted_scopes', 'access_cache'])
      .where('provider', '=', 'jamf_pro')
      .where('state', '=', 'active')
      .execute();
    for (const row of stored) {
      expect(row.secret).not.toContain(DEFAULT_CLIENT.clientSecret);
      expect(row.access_cache).not.toBeNull();
    }
    expect(stored.some((row) => row.granted_scopes === 'Read Computers Read Mobile Devices')).toBe(true);
  });

  it('asks /api/v1/oauth/token where /api/oauth/token answers 404, and keeps asking there', async () => {
    const fixture = await connected({
      instance: (serials) => ({
        ...generateFleet({ size: serials.length, serials, seed: 'v1' }),
        tokenPaths: ['/api/v1/oauth/token'],
      }),
    });
    const tokenPaths = (since: number) =>
      logOf(fixture.name, since)
        .filter((entry) => entry.kind === 'token')
        .map((entry) => [entry.path, entry.status]);
    expect(tokenPaths(0)).toEqual([
      ['/api/oauth/token', 404],
      ['/api/v1/oauth/token', 200],
    ]);
    fake.expireTokens(fixture.name);
    const mark = fake.mark();
    const { run } = await districts.sync(fixture);
    expect(run, run.error).toMatchObject({ state: 'succeeded' });
    expect(tokenPaths(mark)).toEqual([['/api/v1/oauth/token', 200]]);
  });

  it('names a wrong client ID or secret, and sends no inventory request', async () => {
    const { session, name } = await activated();
    const mark = fake.mark();
    const answer = await submit(session, { ...CREDENTIALS, clientSecret: 'not the secret' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error.message).toMatch(
      /did not accept this client ID and client secret \(invalid_client\)/,
    );
    expect(logOf(name, mark).filter((entry) => entry.kind === 'api')).toEqual([]);
    expect((await tileOf(session)).state).toBe('needs_authorization');
    const missing = await submit(session, { clientId: '' });
    expect(missing.statusCode).toBe(400);
    expect(
      missing
        .json()
        .error.details.map((issue: { path: string }) => issue.path)
        .sort(),
    ).toEqual(['credentials.clientId', 'credentials.clientSecret']);
  });

  it('names each privilege the client’s API role lacks', async () => {
    const { session, name } = await activated();
    fake.addClient(name, {
      clientId: 'ipads-only',
      clientSecret: 'secret-1',
      privileges: ['Read Mobile Devices'],
    });
    fake.addClient(name, { clientId: 'nothing', clientSecret: 'secret-2', privileges: [] });
    const macs = await submit(session, { clientId: 'ipads-only', clientSecret: 'secret-1' });
    expect(macs.statusCode).toBe(400);
    expect(macs.json().error.message).toMatch(
      /lacks the “Read Computers” privilege, so Jamf Pro refused to read computers/,
    );
    expect(macs.json().error.message).not.toContain('Read Mobile Devices');
    const both = await submit(session, { clientId: 'nothing', clientSecret: 'secret-2' });
    expect(both.statusCode).toBe(400);
    expect(both.json().error).toMatchObject({
      message: expect.stringContaining('lacks the “Read Computers” and “Read Mobile Devices” privileges'),
      details: { rule: 'privilege', missing: ['Read Computers', 'Read Mobile Devices'] },
    });
    expect((await tileOf(session)).state).toBe('needs_authorization');
  });

  it('says Jamf Pro failed when it cannot answer, and stores nothing', async () => {
    const { session, name } = await activated();
    fake.failNext(4, 503, { target: 'any', instance: name });
    const answer = await submit(session);
    fake.resetFaults();
    expect(answer.statusCode).toBe(502);
    expect(answer.json().error.message).toMatch(/^The connection test failed: Jamf Pro could not answer/);
    expect((await tileOf(session)).state).toBe('needs_authorization');
  });

  it('refuses a server that redirects, naming the redirect rather than following it', async () => {
    const elsewhere = createServer((_request, response) => {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const { session } = await activated();
      const url = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
      await session.inject({
        method: 'PATCH',
        url: '/api/v1/mdm/providers/jamf_pro/settings',
        payload: { settings: { baseUrl: url } },
      });
      const answer = await submit(session);
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error).toMatchObject({
        message: expect.stringMatching(/redirect to http:\/\/169\.254\.169\.254.*does not follow redirects/),
        details: { rule: 'redirect' },
      });
    } finally {
      elsewhere.close();
    }
  });
});

describe('Jamf Pro tokens during a sync', () => {
  it('replaces a token Jamf Pro stopped accepting, once, and carries on', async () => {
    const fixture = await connected();
    fake.expireTokens(fixture.name);
    const mark = fake.mark();
    const { run } = await districts.sync(fixture);
    expect(run, run.error).toMatchObject({ state: 'succeeded' });
    const requests = logOf(fixture.name, mark);
    expect(requests.filter((entry) => entry.kind === 'token')).toHaveLength(1);
    expect(requests.filter((entry) => entry.status === 401).length).toBeGreaterThan(0);
    expect(run.counters.apiCalls).toBe(requests.filter((entry) => entry.kind === 'api').length);
  });

  it('asks for the client again when its role loses a privilege, naming the privilege', async () => {
    const fixture = await connected();
    expect((await districts.sync(fixture)).run.state).toBe('succeeded');
    fake.removePrivilege(fixture.name, DEFAULT_CLIENT.clientId, 'Read Mobile Devices');
    const { run } = await districts.sync(fixture);
    expect(run.state).toBe('failed');
    expect(await tileOf(fixture.session)).toMatchObject({
      state: 'needs_reauthorization',
      statusReason: expect.stringContaining('“Read Mobile Devices”'),
    });
  });

  it('syncs with a disabled client’s tokens until they expire, as Jamf documents, then asks for the client again', async () => {
    const fixture = await connected();
    fake.revokeClient(fixture.name, DEFAULT_CLIENT.clientId, { keepTokens: true });
    expect((await districts.sync(fixture)).run.state).toBe('succeeded');
    fake.expireTokens(fixture.name);
    const { run } = await districts.sync(fixture);
    expect(run.state).toBe('failed');
    expect(await tileOf(fixture.session)).toMatchObject({
      state: 'needs_reauthorization',
      statusReason: expect.stringContaining('invalid_client'),
    });
  });

  it('sends the client only to the server it was entered for: a changed URL needs the client again', async () => {
    const fixture = await connected();
    const other = fake.addInstance(`moved-${fixture.name}`, generateFleet({ size: 5, seed: 'moved' }));
    const changed = await fixture.session.inject({
      method: 'PATCH',
      url: '/api/v1/mdm/providers/jamf_pro/settings',
      payload: { settings: { baseUrl: `${other.url}/` } },
    });
    expect(changed.json().settings.baseUrl).toBe(other.url);
    const mark = fake.mark();
    const { run } = await districts.sync(fixture);
    expect(run.state).toBe('failed');
    expect(logOf(other.name, mark)).toEqual([]);
    expect(await tileOf(fixture.session)).toMatchObject({
      state: 'needs_reauthorization',
      statusReason: expect.stringMatching(/URL changed.*enter the client ID and secret again/),
    });
  });
});

describe('Jamf Pro runs', () => {
  it('counts the fleet with a one-device page of each inventory under “Fewest API calls”, then lists two full pages at a time', async () => {
    // Nearly all iPads: once the few Macs are read, the listing asks for two pages of iPads at once.
    const fixture = await connected({
      devices: 1_600,
      requestScope: 'fewest_calls',
      instance: (serials) =>
        generateFleet({
          size: 6_000,
          ipadShare: 0.98,
          serials: serials.slice(0, 120),
          junk: 10,
          seed: 'listing',
        }),
    });
    const macs = fake.computers(fixture.name).length;
    expect(macs).toBeLessThan(2_000);
    const { run, requests } = await districts.sync(fixture);
    expect(run, run.error).toMatchObject({ state: 'succeeded', strategy: 'full_listing' });
    const asked = logOf(fixture.name, 0)
      .filter((entry) => entry.kind === 'api' && entry.status === 200)
      .slice(-6)
      .map((entry) => [entry.operation, entry.query.page, entry.query['page-size']]);
    expect(asked.slice(0, 2).sort()).toEqual([
      ['computers.list', '0', '1'],
      ['mobileDevices.list', '0', '1'],
    ]);
    expect(asked.slice(2, 4).sort()).toEqual([
      ['computers.list', '0', '2000'],
      ['mobileDevices.list', '0', '2000'],
    ]);
    expect(asked.slice(4).sort()).toEqual([
      ['mobileDevices.list', '1', '2000'],
      ['mobileDevices.list', '2', '2000'],
    ]);
    expect(run.counters.pages).toBe(2);
    expect(requests.every((request) => request.listing)).toBe(true);
    expect(run.counters.apiCalls).toBe(requests.length);
    expect(run.estimate).toMatchObject({ fleetSize: 6_010 });
    expect(run.estimate.apiCalls).toBeGreaterThanOrEqual(requests.length);
    // Every device Jamf Pro holds is counted once: matched to a tracked device, or counted and dropped.
    expect(run.counters.matched + run.counters.unmatchedProviderDevices).toBe(6_010);
  });

  it('keeps every lookup within 6 KB of request target', async () => {
    const fixture = await connected({ devices: 1_500 });
    fake.instance(fixture.name).configure({ maxUrlLength: 6 * 1024 });
    const { run, requests } = await districts.sync(fixture);
    expect(run, run.error).toMatchObject({ state: 'succeeded', strategy: 'serial_lookup' });
    expect(requests.length).toBeGreaterThanOrEqual(6);
    expect(requests.filter((request) => request.status !== 200)).toEqual([]);
    expect(run.counters.apiCalls).toBeLessThanOrEqual(run.estimate.apiCalls);
  });

  it('finds serials stored in lower case while Jamf ignores case, never those stored with spaces, which a listing finds', async () => {
    let variants: Record<string, string> = {};
    const fixture = await connected({
      // Enough tracked devices that lookups cost more than listing the small fleet, once that is allowed.
      devices: 1_000,
      instance: (serials) => {
        const fleet = generateFleet({
          size: 60,
          serials: serials.slice(0, 60),
          caseVariants: 12,
          seed: 'variants',
        });
        variants = fleet.manifest.variants;
        return fleet;
      },
    });
    const trackedIds = new Map(fixture.tracked.map((device) => [device.serialKey, device.id]));
    const lowered = Object.entries(variants).filter(
      ([serial, stored]) => trackedIds.has(serial) && !/\s/.test(stored),
    );
    const spaced = Object.entries(variants).filter(
      ([serial, stored]) => trackedIds.has(serial) && /\s/.test(stored),
    );
    expect(lowered.length).toBeGreaterThan(0);
    expect(spaced.length).toBeGreaterThan(0);
    const stateOf = async (serial: string) =>
      (await districts.records(fixture.districtId)).find(
        (record) => record.device_id === trackedIds.get(serial),
      )?.match_state;

    expect((await districts.sync(fixture)).run.state).toBe('succeeded');
    for (const [serial] of lowered) expect(await stateOf(serial)).toBe('matched');
    for (const [serial] of spaced) expect(await stateOf(serial)).toBe('not_found');

    fake.instance(fixture.name).configure({ rsqlCaseSensitive: true });
    expect((await districts.sync(fixture)).run.state).toBe('succeeded');
    for (const [serial] of lowered) expect(await stateOf(serial)).toBe('not_found');

    await fixture.session.inject({
      method: 'PATCH',
      url: '/api/v1/mdm/providers/jamf_pro/settings',
      payload: { settings: { requestScope: 'fewest_calls' } },
    });
    const listed = await districts.sync(fixture);
    expect(listed.run).toMatchObject({ state: 'succeeded', strategy: 'full_listing' });
    for (const [serial] of [...lowered, ...spaced]) expect(await stateOf(serial)).toBe('matched');
  });

  it('keeps to five requests at a time per Jamf Pro, whichever districts send them', async () => {
    const shared = fake.addInstance('shared', { concurrencyLimit: 5 });
    const serials: string[] = [];
    const waiting: Activated[] = [];
    for (let index = 0; index < 4; index++) {
      const district = await activated({
        devices: 1_200,
        instance: (own) => {
          serials.push(...own);
          return {};
        },
      });
      const moved = await district.session.inject({
        method: 'PATCH',
        url: '/api/v1/mdm/providers/jamf_pro/settings',
        payload: { settings: { baseUrl: shared.url } },
      });
      expect(moved.statusCode).toBe(200);
      waiting.push(district);
    }
    const fleet = generateFleet({ size: serials.length, serials, seed: 'shared' });
    fake.setComputers('shared', fleet.computers);
    fake.setMobileDevices('shared', fleet.mobileDevices);
    const fixtures = [];
    for (const district of waiting) fixtures.push(await authorized(district));
    shared.resetConcurrency();
    fake.latencyMs = 40;
    try {
      const runs = await Promise.all(fixtures.map((fixture) => districts.sync(fixture)));
      for (const { run } of runs)
        expect(run, run.error).toMatchObject({ state: 'succeeded', counters: { retries: 0 } });
    } finally {
      fake.latencyMs = 0;
    }
    // Four runs of two requests each would have sent eight at once; the limiter let five through.
    expect(shared.maxConcurrent).toBeLessThanOrEqual(5);
    expect(shared.maxConcurrent).toBeGreaterThan(2);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeJamfSchool,
  type FakeLogEntry,
  generateFleet,
  startFakeJamfSchool,
} from '../../fakes/jamf-school/index.ts';
import { control, jamf, listDevices } from './jamf-school-helpers.ts';

describe('fake Jamf School: faults, rate limit, latency and log', () => {
  let fake: FakeJamfSchool;
  const devices = generateFleet({ size: 30, seed: 'faults' });

  beforeAll(async () => {
    fake = await startFakeJamfSchool({
      devices,
      instances: { north: { devices: generateFleet({ size: 3 }) } },
    });
  });
  afterEach(() => {
    fake.resetFaults();
    fake.quotaPerMinute = undefined;
    fake.paging = 'none';
  });
  afterAll(() => fake.close());

  it('fails the next n API requests with the status in Jamf School’s error shape', async () => {
    fake.failNext(2);
    const mark = fake.mark();
    const first = await jamf(fake, 'devices');
    const second = await jamf(fake, `devices/${devices[0]!.UDID}`);
    const third = await jamf(fake, 'devices');
    expect([first.status, second.status, third.status]).toEqual([503, 503, 200]);
    expect(first.json).toEqual({ code: 503, message: 'Service Unavailable' });
    expect(fake.requestsSince(mark).map((e) => e.injected)).toEqual(['fail', 'fail', undefined]);
    fake.failNext(1, 500, { target: 'any' });
    expect((await jamf(fake, 'devices')).json).toEqual({ code: 500, message: 'Internal Server Error' });
  });

  it('injects 429 with Retry-After (1 s unless given), or without it', async () => {
    fake.failNext(1, 429);
    const limited = await jamf(fake, 'devices');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.json).toEqual({ code: 429, message: 'Too Many Requests' });
    fake.failNext(1, 429, { retryAfter: 7 });
    expect((await jamf(fake, 'devices')).headers.get('retry-after')).toBe('7');
    fake.failNext(1, 429, { retryAfter: null });
    const bare = await jamf(fake, 'devices');
    expect(bare.status).toBe(429);
    expect(bare.headers.has('retry-after')).toBe(false);
  });

  it('injects 401 and 405 in their real shapes', async () => {
    fake.failNext(1, 401);
    expect((await jamf(fake, 'devices')).json).toEqual({ code: 401, message: 'Unauthorized' });
    fake.failNext(1, 405);
    expect((await jamf(fake, 'devices')).json).toMatchObject({ error: { code: 405 } });
  });

  it('breaks the next successful answers: truncated, wrong shape, html', async () => {
    fake.malformedNext(1, 'truncated');
    const truncated = await jamf(fake, 'devices');
    expect(truncated.status).toBe(200);
    expect(truncated.json).toBeUndefined();
    expect(truncated.text.startsWith('{"code":200')).toBe(true);

    fake.malformedNext(2, 'wrong-shape');
    const wrongList = (await jamf(fake, 'devices')).json as { count: unknown; devices: unknown };
    expect(typeof wrongList.count).toBe('string');
    expect(Array.isArray(wrongList.devices)).toBe(false);
    const wrongGet = (await jamf(fake, `devices/${devices[1]!.UDID}`)).json as { device: unknown };
    expect(Array.isArray(wrongGet.device)).toBe(true);

    fake.malformedNext(1, 'html');
    const html = await jamf(fake, 'devices');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.json).toBeUndefined();
    expect((await jamf(fake, 'devices')).json).toMatchObject({ code: 200, count: 30 });
  });

  it('leaves error answers alone and starts a malformed run after the given number of answers', async () => {
    fake.malformedNext(1, 'truncated', { after: 1 });
    expect((await jamf(fake, 'devices/00000000DEAD')).status).toBe(404);
    expect((await jamf(fake, 'devices')).json).toMatchObject({ code: 200 });
    const mark = fake.mark();
    expect((await jamf(fake, 'devices')).json).toBeUndefined();
    expect(fake.requestsSince(mark)[0]!.injected).toBe('malformed');
  });

  it('repeats the previous page under page-param paging', async () => {
    fake.paging = 'page-param';
    const first = await listDevices(fake, 'page=1&limit=10');
    fake.malformedNext(1, 'repeat-page');
    const repeated = await listDevices(fake, 'page=2&limit=10');
    expect(repeated.devices.map((d) => d.UDID)).toEqual(first.devices.map((d) => d.UDID));
    const second = await listDevices(fake, 'page=2&limit=10');
    expect(second.devices.map((d) => d.UDID)).toEqual(devices.slice(10, 20).map((d) => d.UDID));
  });

  it('rate-limits each instance per minute with 429 and Retry-After when quotaPerMinute is set', async () => {
    fake.quotaPerMinute = 3;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await jamf(fake, 'devices')).status);
    const limited = await jamf(fake, 'devices');
    expect([...statuses, limited.status]).toEqual([200, 200, 200, 429]);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(fake.requests.at(-1)).toMatchObject({ status: 429, injected: 'quota' });
    const north = fake.instance('north');
    expect((await jamf(fake, 'devices', { baseUrl: north.baseUrl, networkId: north.networkId })).status).toBe(
      200,
    );
    fake.advanceTime(61_000);
    expect((await jamf(fake, 'devices')).status).toBe(200);
    expect(fake.stats().rateLimited).toBeGreaterThanOrEqual(1);
  });

  it('takes at least latencyMs to answer', async () => {
    fake.latencyMs = 120;
    const started = performance.now();
    await listDevices(fake);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    fake.resetFaults();
    expect(fake.latencyMs).toBe(0);
  });

  it('keeps a log with marks, and clears it', async () => {
    const mark = fake.mark();
    await listDevices(fake, 'serialnumber=A&serialnumber=B');
    const entries = fake.requestsSince(mark);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      method: 'GET',
      path: '/api/devices',
      query: { serialnumber: 'A,B' },
      serials: ['A', 'B'],
      listing: false,
      inner: false,
    });
    expect(entries[0]!.seq).toBeGreaterThan(mark);
    expect(entries[0]!.durationMs).toBeGreaterThanOrEqual(0);
    fake.clearLog();
    expect(fake.requests).toHaveLength(0);
    expect(fake.mark()).toBe(entries[0]!.seq);
  });
});

describe('fake Jamf School: control routes', () => {
  let fake: FakeJamfSchool;

  beforeAll(async () => {
    fake = await startFakeJamfSchool({ devices: generateFleet({ size: 5, seed: 'control' }) });
  });
  afterAll(() => fake.close());

  it('drives faults, options and the clock over HTTP', async () => {
    await control(fake, 'fail-next', { n: 1, status: 429, retryAfter: 3 });
    const limited = await jamf(fake, 'devices');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    await control(fake, 'malformed-next', { n: 1, kind: 'html' });
    expect((await jamf(fake, 'devices')).headers.get('content-type')).toMatch(/html/);
    await control(fake, 'latency', { ms: 40 });
    expect(fake.latencyMs).toBe(40);
    await control(fake, 'options', {
      serialCaseSensitive: true,
      maxDevicesPerResponse: 2,
      paging: 'page-param',
      pageSize: 3,
      olderProtocol: 'serve',
      quotaPerMinute: 100,
    });
    const options = (await (await fetch(`${fake.url}/__fake/options`)).json()) as Record<string, unknown>;
    expect(options).toEqual({
      latencyMs: 40,
      quotaPerMinute: 100,
      serialCaseSensitive: true,
      maxDevicesPerResponse: 2,
      paging: 'page-param',
      pageSize: 3,
      olderProtocol: 'serve',
    });
    await control(fake, 'options', { maxDevicesPerResponse: null, quotaPerMinute: null, paging: 'none' });
    expect([fake.maxDevicesPerResponse, fake.quotaPerMinute, fake.paging]).toEqual([
      undefined,
      undefined,
      'none',
    ]);
    await control(fake, 'reset-faults');
    expect(fake.latencyMs).toBe(0);
    const before = fake.now();
    const { now } = (await control(fake, 'advance-time', { ms: 86_400_000 })) as { now: string };
    expect(Date.parse(now) - before).toBeGreaterThanOrEqual(86_400_000);
  });

  it('manages instances, keys and devices over HTTP', async () => {
    const added = (await control(fake, 'add-instance', { name: 'east', networkId: '40000004' })) as {
      baseUrl: string;
    };
    expect(added.baseUrl).toBe(`${fake.url}/instances/east`);
    await control(fake, 'add-api-key', { instance: 'east', apiKey: 'EASTKEY' });
    const east = { baseUrl: added.baseUrl, networkId: '40000004', apiKey: 'EASTKEY' };
    expect(
      await control(fake, 'generate-fleet', { instance: 'east', size: 7, seed: 2, serials: ['EAST0001'] }),
    ).toEqual({ devices: 7 });
    const found = await listDevices(fake, 'serialnumber=EAST0001', east);
    expect(found.count).toBe(1);
    const udid = found.devices[0]!.UDID;
    await control(fake, 'update-devices', {
      instance: 'east',
      updates: [{ udid, patch: { assetTag: 'TAG-9' } }],
    });
    expect((await listDevices(fake, 'assettag=TAG-9', east)).devices[0]!.UDID).toBe(udid);
    await control(fake, 'set-devices', { instance: 'east', devices: fake.devices('default') });
    expect((await listDevices(fake, '', east)).count).toBe(5);
    await control(fake, 'remove-right', { instance: 'east', apiKey: 'EASTKEY', right: 'devices' });
    expect((await jamf(fake, 'devices', east)).status).toBe(405);
    expect(await control(fake, 'revoke-key', { instance: 'east', apiKey: 'EASTKEY' })).toEqual({
      revoked: true,
    });
    expect((await jamf(fake, 'devices', east)).status).toBe(401);
    const instances = (await (await fetch(`${fake.url}/__fake/instances`)).json()) as {
      instances: { name: string }[];
    };
    expect(instances.instances.map((i) => i.name)).toEqual(['default', 'east']);
  });

  it('shows the request log and stats, clears the log, and refuses unknown or bad input', async () => {
    await listDevices(fake);
    const { requests } = (await (await fetch(`${fake.url}/__fake/requests`)).json()) as {
      requests: FakeLogEntry[];
    };
    expect(requests.at(-1)).toMatchObject({ operation: 'devices.list', listing: true });
    const stats = (await (await fetch(`${fake.url}/__fake/stats`)).json()) as { apiRequests: number };
    expect(stats.apiRequests).toBeGreaterThan(0);
    await control(fake, 'clear-log');
    expect(fake.requests).toHaveLength(0);
    expect((await fetch(`${fake.url}/__fake/nothing`, { method: 'POST' })).status).toBe(404);
    const bad = await fetch(`${fake.url}/__fake/update-devices`, {
      method: 'POST',
      body: '{"updates":[{"udid":"x"}]}',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'no device x' });
  });
});

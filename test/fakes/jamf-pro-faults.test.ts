import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT,
  type FakeJamfPro,
  type FakeLogEntry,
  generateFleet,
  startFakeJamfPro,
} from '../../fakes/jamf-pro/index.ts';
import { accessToken, COMPUTERS, get, jamfError, MOBILE_DEVICES, requestToken } from './jamf-pro-helpers.ts';

describe('fake Jamf Pro: faults, concurrency and control routes', () => {
  let fake: FakeJamfPro;
  let token: string;
  let northToken: string;
  const fleet = generateFleet({ size: 300, seed: 'faults' });

  beforeAll(async () => {
    fake = await startFakeJamfPro({
      ...fleet,
      instances: { north: generateFleet({ size: 20, seed: 'north' }) },
    });
    token = await accessToken(fake.url);
    northToken = await accessToken(fake.instanceUrl('north'));
  });
  afterEach(() => {
    fake.resetFaults();
    fake.concurrencyLimit = 0;
    fake.instance('north').configure({ concurrencyLimit: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });

  const control = async (route: string, body?: unknown) => {
    const response = await fetch(`${fake.url}/__fake/${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('fails the next API calls with Jamf’s error body, then answers again', async () => {
    fake.failNext(2);
    for (let i = 0; i < 2; i++) {
      const failed = await get(fake.url, COMPUTERS, token);
      expect(failed.status).toBe(503);
      expect(failed.body).toEqual({
        httpStatus: 503,
        errors: [{ code: 'SERVICE_UNAVAILABLE', description: 'Service Unavailable', id: '0', field: null }],
      });
      expect(fake.requests.at(-1)).toMatchObject({ status: 503, injected: 'fail' });
    }
    expect((await get(fake.url, COMPUTERS, token)).status).toBe(200);
    // A failing server fails whoever asks, before looking at the token.
    fake.failNext(1, 500);
    expect((await get(fake.url, MOBILE_DEVICES, 'no-token')).status).toBe(500);
  });

  it('sends Retry-After with a 429 unless told not to', async () => {
    fake.failNext(1, 429);
    const first = await get(fake.url, COMPUTERS, token);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(first.body).toEqual(jamfError(429, 'TOO_MANY_REQUESTS'));
    fake.failNext(1, 429, { retryAfter: 7 });
    expect((await get(fake.url, COMPUTERS, token)).headers.get('retry-after')).toBe('7');
    fake.failNext(1, 429, { retryAfter: null });
    const bare = await get(fake.url, COMPUTERS, token);
    expect(bare.status).toBe(429);
    expect(bare.headers.get('retry-after')).toBeNull();
  });

  it('aims failures at token requests or at one instance', async () => {
    fake.failNext(1, 502, { target: 'token' });
    expect((await get(fake.url, COMPUTERS, token)).status).toBe(200);
    const tokenFailure = await requestToken(fake.url);
    expect(tokenFailure.status).toBe(502);
    expect(await tokenFailure.json()).toEqual(jamfError(502, 'BAD_GATEWAY'));
    expect((await requestToken(fake.url)).status).toBe(200);

    fake.failNext(1, 503, { instance: 'north' });
    expect((await get(fake.url, COMPUTERS, token)).status).toBe(200);
    expect((await get(fake.instanceUrl('north'), COMPUTERS, northToken)).status).toBe(503);

    fake.failNext(2, 503, { target: 'any' });
    expect((await requestToken(fake.url)).status).toBe(503);
    expect((await get(fake.url, COMPUTERS, token)).status).toBe(503);
  });

  it('breaks successful answers: cut-off JSON, the wrong shape, an HTML page', async () => {
    const url = `${fake.url}${COMPUTERS}`;
    const headers = { Authorization: `Bearer ${token}` };
    fake.malformedNext(1, 'truncated');
    const truncated = await fetch(url, { headers });
    expect(truncated.status).toBe(200);
    await expect(truncated.clone().json()).rejects.toThrow();
    expect((await truncated.text()).startsWith('{"totalCount":')).toBe(true);
    expect(fake.requests.at(-1)).toMatchObject({ injected: 'malformed', status: 200 });

    fake.malformedNext(1, 'wrong-shape');
    const wrong = (await (await fetch(url, { headers })).json()) as Record<string, unknown>;
    expect(typeof wrong.totalCount).toBe('string');
    expect(Array.isArray(wrong.results)).toBe(false);

    fake.malformedNext(1, 'html');
    const html = await fetch(url, { headers });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);

    fake.malformedNext(1, 'wrong-shape', { target: 'token' });
    const badToken = (await (await requestToken(fake.url)).json()) as Record<string, unknown>;
    expect(badToken.access_token).toBeUndefined();
    expect(() => fake.malformedNext(1, 'repeat-page', { target: 'token' })).toThrow();

    // Errors are never malformed: the fault waits for a successful answer.
    fake.malformedNext(1, 'html');
    expect((await get(fake.url, COMPUTERS, 'bad')).status).toBe(401);
    expect((await fetch(url, { headers })).headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('repeats the page before, after answering the first page normally', async () => {
    fake.malformedNext(1, 'repeat-page', { after: 1 });
    const page0 = await get(fake.url, COMPUTERS, token, { page: 0, 'page-size': 50 });
    const page1 = await get(fake.url, COMPUTERS, token, { page: 1, 'page-size': 50 });
    const page2 = await get(fake.url, COMPUTERS, token, { page: 2, 'page-size': 50 });
    expect(page1.body).toEqual(page0.body);
    expect(page2.body.results[0]).not.toEqual(page0.body.results[0]);
    expect(fake.requests.slice(-3).map((e) => e.injected)).toEqual([undefined, 'malformed', undefined]);
  });

  it('tracks requests in flight per instance and refuses those beyond the limit', async () => {
    fake.latencyMs = 300;
    fake.resetConcurrency();
    const burst = (n: number, base = fake.url, bearer = token) =>
      Promise.all(Array.from({ length: n }, () => get(base, COMPUTERS, bearer, { 'page-size': 1 })));
    await Promise.all([burst(8), burst(2, fake.instanceUrl('north'), northToken)]);
    expect(fake.maxConcurrent).toBe(8);
    expect(fake.instance('north').maxConcurrent).toBe(2);
    expect(fake.instance().inFlight).toBe(0);

    fake.resetConcurrency();
    expect(fake.maxConcurrent).toBe(0);
    fake.concurrencyLimit = 5;
    const answers = await burst(8);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused).toHaveLength(3);
    expect(refused[0]!.body).toEqual(jamfError(503, 'CONCURRENCY_LIMIT'));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    expect(fake.maxConcurrent).toBe(8);
    // Five at a time is fine.
    fake.resetConcurrency();
    expect((await burst(5)).every((a) => a.status === 200)).toBe(true);
    expect(fake.maxConcurrent).toBe(5);
  });

  it('makes every answer take at least the latency', async () => {
    fake.latencyMs = 120;
    const started = performance.now();
    await get(fake.url, COMPUTERS, token);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('counts the inventory requests it answered, not token requests, for benchmarks', async () => {
    const before = (await control('stats')).body as { apiRequests: number; serviceMs: number };
    await get(fake.url, COMPUTERS, token);
    await get(fake.url, MOBILE_DEVICES, token, { 'page-size': '1' });
    await requestToken(fake.url);
    const after = (await control('stats')).body as { apiRequests: number; serviceMs: number };
    expect(after.apiRequests - before.apiRequests).toBe(2);
    expect(after.serviceMs).toBeGreaterThan(before.serviceMs);
    expect((await control('collect-garbage', {})).status).toBe(200);
  });

  it('offers the handle’s controls as JSON routes for other processes', async () => {
    const mark = fake.mark();
    const instances = await control('instances');
    expect(instances.body.instances).toEqual([
      expect.objectContaining({ name: 'default', url: fake.url, computers: fleet.computers.length }),
      expect.objectContaining({ name: 'north', url: fake.instanceUrl('north') }),
    ]);

    expect((await control('fail-next', { n: 1, status: 504 })).status).toBe(200);
    expect((await get(fake.url, COMPUTERS, token)).status).toBe(504);
    await control('malformed-next', { n: 1, kind: 'html' });
    expect((await get(fake.url, COMPUTERS, token)).headers.get('content-type')).toMatch(/html/);
    await control('latency', { ms: 50 });
    expect(fake.latencyMs).toBe(50);
    await control('reset-faults', {});
    expect(fake.latencyMs).toBe(0);

    const requests = await fetch(`${fake.url}/__fake/requests?since=${mark}&instance=default`);
    const logged = ((await requests.json()) as { requests: FakeLogEntry[] }).requests;
    expect(logged.map((e) => e.status)).toEqual([504, 200]);

    const added = await control('add-instance', {
      name: 'east',
      concurrencyLimit: 3,
      tokenPaths: ['/api/oauth/token'],
    });
    expect(added.body).toMatchObject({ name: 'east', settings: { concurrencyLimit: 3 } });
    await control('configure', { instance: 'east', rsqlCaseSensitive: true, maxPageSize: 10 });
    expect(fake.instance('east').settings).toMatchObject({ rsqlCaseSensitive: true, maxPageSize: 10 });
    const generated = await control('generate-fleet', {
      instance: 'east',
      size: 12,
      seed: 9,
      serials: ['EASTSERIAL01'],
    });
    expect(generated.body).toMatchObject({
      computers: expect.any(Number),
      mobileDevices: expect.any(Number),
    });
    expect(fake.computers('east').length + fake.mobileDevices('east').length).toBe(12);

    await control('add-client', {
      instance: 'east',
      clientId: 'east-client',
      clientSecret: 'east-secret',
      privileges: ['Read Computers', 'Read Mobile Devices'],
    });
    const east = fake.instanceUrl('east');
    const eastToken = await accessToken(east, { clientId: 'east-client', clientSecret: 'east-secret' });
    const kind = (generated.body.manifest as { bySerial: Record<string, { kind: string; id: string }> })
      .bySerial.EASTSERIAL01!;
    const [path, field] =
      kind.kind === 'computer' ? [COMPUTERS, 'hardware.serialNumber'] : [MOBILE_DEVICES, 'serialNumber'];
    expect(
      (await get(east, path, eastToken, { filter: `${field}==EASTSERIAL01`, 'page-size': 10 })).body
        .totalCount,
    ).toBe(1);
    // Case-sensitive there now.
    expect(
      (await get(east, path, eastToken, { filter: `${field}==eastserial01`, 'page-size': 10 })).body
        .totalCount,
    ).toBe(0);

    const computer = fake.computers('east')[0]!;
    await control('update-devices', {
      instance: 'east',
      computers: [{ id: computer.id, patch: { general: { assetTag: 'TAG-UPDATED' } } }],
    });
    expect(fake.computers('east')[0]!.general).toMatchObject({
      assetTag: 'TAG-UPDATED',
      name: computer.general!.name,
    });
    await control('set-fleet', { instance: 'east', computers: [], mobileDevices: [] });
    expect(fake.computers('east')).toEqual([]);

    await control('remove-privilege', {
      instance: 'east',
      clientId: 'east-client',
      privilege: 'Read Computers',
    });
    expect((await get(east, COMPUTERS, eastToken, { 'page-size': 10 })).status).toBe(403);
    await control('advance-time', { ms: 1_800_000 });
    expect((await get(east, MOBILE_DEVICES, eastToken)).status).toBe(401);
    const again = await accessToken(east, { clientId: 'east-client', clientSecret: 'east-secret' });
    await control('expire-tokens', { instance: 'east' });
    expect((await get(east, MOBILE_DEVICES, again)).status).toBe(401);
    expect((await control('revoke-client', { instance: 'east', clientId: 'east-client' })).body).toEqual({
      revoked: true,
    });
    expect((await requestToken(east, { clientId: 'east-client', clientSecret: 'east-secret' })).status).toBe(
      401,
    );
    expect((await requestToken(east, DEFAULT_CLIENT)).status).toBe(200);

    await control('reset-concurrency', {});
    await control('clear-log', {});
    expect(fake.requests).toEqual([]);
    expect((await control('no-such-route', {})).status).toBe(404);
    expect((await control('fail-next', 'not json')).status).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_API_KEY,
  DEFAULT_NETWORK_ID,
  type FakeJamfSchool,
  generateFleet,
  startFakeJamfSchool,
} from '../../fakes/jamf-school/index.ts';
import { jamf, listDevices } from './jamf-school-helpers.ts';

describe('fake Jamf School: credentials, key rights and protocol version', () => {
  let fake: FakeJamfSchool;
  const devices = generateFleet({ size: 12, seed: 'auth' });

  beforeAll(async () => {
    fake = await startFakeJamfSchool({ devices });
  });
  afterAll(() => fake.close());

  it('answers the Network ID and API key with the devices', async () => {
    expect(fake.networkId).toBe(DEFAULT_NETWORK_ID);
    expect(fake.apiKey).toBe(DEFAULT_API_KEY);
    const list = await listDevices(fake);
    expect(list).toMatchObject({ code: 200, count: 12 });
    expect(list.devices).toHaveLength(12);
  });

  it.each([
    ['no Authorization header', { authorization: null }],
    ['a wrong API key', { apiKey: 'WRONGKEY' }],
    ['a wrong Network ID', { networkId: '99999999' }],
    ['a bearer token', { authorization: `Bearer ${DEFAULT_API_KEY}` }],
    ['Basic without a colon', { authorization: `Basic ${Buffer.from(DEFAULT_API_KEY).toString('base64')}` }],
  ])('answers 401 in Jamf School’s error shape for %s', async (_, options) => {
    const mark = fake.mark();
    const answer = await jamf(fake, 'devices', options);
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ code: 401, message: 'Unauthorized' });
    expect(fake.requestsSince(mark)[0]).toMatchObject({ status: 401, error: 'unauthorized', kind: 'api' });
  });

  it('answers 405 when the key lacks the devices right, as the unofficial client expects', async () => {
    fake.addApiKey('default', { apiKey: 'NODEVICESRIGHT', rights: { devices: 'none' } });
    const answer = await jamf(fake, 'devices', { apiKey: 'NODEVICESRIGHT' });
    expect(answer.status).toBe(405);
    expect(answer.json).toEqual({
      error: { code: 405, message: 'Requested method (GET) not allowed using this API key' },
    });
    const udid = devices[0]!.UDID;
    expect((await jamf(fake, `devices/${udid}`, { apiKey: 'NODEVICESRIGHT' })).status).toBe(405);
  });

  it('answers 405 once a right is removed, and 401 once the key is revoked', async () => {
    fake.addApiKey('default', { apiKey: 'SHORTLIVED' });
    expect((await jamf(fake, 'devices', { apiKey: 'SHORTLIVED' })).status).toBe(200);
    fake.removeRight('default', 'SHORTLIVED', 'devices');
    expect((await jamf(fake, 'devices', { apiKey: 'SHORTLIVED' })).status).toBe(405);
    expect(fake.revokeKey('default', 'SHORTLIVED')).toBe(true);
    expect((await jamf(fake, 'devices', { apiKey: 'SHORTLIVED' })).status).toBe(401);
    expect((await jamf(fake, 'devices')).status).toBe(200);
  });

  it('answers 405 to methods the key may not use on the device endpoints', async () => {
    const answer = await jamf(fake, 'devices', { method: 'POST' });
    expect(answer.status).toBe(405);
    expect(answer.json).toEqual({
      error: { code: 405, message: 'Requested method (POST) not allowed using this API key' },
    });
  });

  it('answers 404 without X-Server-Protocol-Version: 3, like an unknown endpoint', async () => {
    const mark = fake.mark();
    const missing = await jamf(fake, 'devices', { protocol: null });
    const older = await jamf(fake, 'devices', { protocol: '2' });
    const unknownEndpoint = await jamf(fake, 'classrooms');
    for (const answer of [missing, older, unknownEndpoint]) {
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ code: 404, message: 'Not Found' });
    }
    const [first, second] = fake.requestsSince(mark);
    expect(first).toMatchObject({ error: 'protocol', operation: 'devices.list' });
    expect(first!.protocolVersion).toBeUndefined();
    expect(second).toMatchObject({ error: 'protocol', protocolVersion: '2' });
  });

  it('serves a request without the protocol header when olderProtocol is serve', async () => {
    fake.olderProtocol = 'serve';
    try {
      const answer = await jamf(fake, 'devices', { protocol: null });
      expect(answer.status).toBe(200);
      expect((answer.json as { count: number }).count).toBe(12);
    } finally {
      fake.olderProtocol = 'not-found';
    }
  });

  it('checks credentials before the protocol version', async () => {
    const answer = await jamf(fake, 'devices', { protocol: null, apiKey: 'WRONG' });
    expect(answer.status).toBe(401);
  });

  it('answers a browser-style 404 page outside the API', async () => {
    const mark = fake.mark();
    const response = await fetch(`${fake.url}/login`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(fake.requestsSince(mark)[0]).toMatchObject({ kind: 'other', path: '/login' });
  });
});

describe('fake Jamf School: several instances on one origin', () => {
  let fake: FakeJamfSchool;

  beforeAll(async () => {
    fake = await startFakeJamfSchool({
      devices: generateFleet({ size: 5, seed: 'default-instance' }),
      instances: { north: { devices: generateFleet({ size: 8, seed: 'north' }) } },
    });
  });
  afterAll(() => fake.close());

  it('serves each instance under its base URL, whose path the client keeps', async () => {
    const north = fake.instance('north');
    expect(north.baseUrl).toBe(`${fake.url}/instances/north`);
    expect(fake.instanceUrl('north')).toBe(north.baseUrl);
    expect(fake.instanceUrl('default')).toBe(fake.url);
    expect(north.networkId).not.toBe(fake.networkId);
    const list = await listDevices(fake, '', { baseUrl: north.baseUrl, networkId: north.networkId });
    expect(list.count).toBe(8);
    expect(list.devices.map((d) => d.UDID)).toEqual(fake.devices('north').map((d) => d.UDID));
    const mark = fake.mark();
    await listDevices(fake, 'serialnumber=X', { baseUrl: north.baseUrl, networkId: north.networkId });
    expect(fake.requestsSince(mark)[0]).toMatchObject({
      instance: 'north',
      path: '/instances/north/api/devices',
    });
  });

  it('refuses another instance’s credentials, so a client that drops the base URL’s path is caught', async () => {
    const north = fake.instance('north');
    const wrongInstance = await jamf(fake, 'devices', { networkId: north.networkId });
    expect(wrongInstance.status).toBe(401);
    // `new URL('/api/devices', base)` throws the instance path away and lands on the default instance.
    const response = await fetch(new URL('/api/devices', north.baseUrl), {
      headers: {
        Authorization: `Basic ${Buffer.from(`${north.networkId}:${fake.apiKey}`).toString('base64')}`,
        'X-Server-Protocol-Version': '3',
      },
    });
    expect(response.status).toBe(401);
  });

  it('adds instances and keys at run time; each key is bound to its Network ID', async () => {
    const south = fake.addInstance('south', { networkId: '30000003', timeZone: 'America/Chicago' });
    expect(south).toMatchObject({
      name: 'south',
      networkId: '30000003',
      deviceCount: 0,
      timeZone: 'America/Chicago',
    });
    fake.addApiKey('south', { apiKey: 'SOUTHKEY' });
    const empty = await listDevices(fake, '', {
      baseUrl: south.baseUrl,
      networkId: '30000003',
      apiKey: 'SOUTHKEY',
    });
    expect(empty).toEqual({ code: 200, count: 0, devices: [] });
    fake.addApiKey('south', { apiKey: 'OTHERNETWORK', networkId: '30000004' });
    const other = await jamf(fake, 'devices', {
      baseUrl: south.baseUrl,
      networkId: '30000004',
      apiKey: 'OTHERNETWORK',
    });
    expect(other.status).toBe(200);
    const mismatch = await jamf(fake, 'devices', {
      baseUrl: south.baseUrl,
      networkId: '30000003',
      apiKey: 'OTHERNETWORK',
    });
    expect(mismatch.status).toBe(401);
    expect(() => fake.addInstance('south')).toThrow(/exists/);
    expect(() => fake.addInstance('a/b')).toThrow(/bad instance name/);
  });

  it('answers 404 for an instance it does not serve', async () => {
    const response = await fetch(`${fake.url}/instances/nowhere/api/devices`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
  });
});

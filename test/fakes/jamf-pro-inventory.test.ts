import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPUTER_SECTIONS,
  type FakeComputer,
  type FakeJamfPro,
  type FakeMobileDevice,
  generateFleet,
  MOBILE_DEVICE_SECTIONS,
  startFakeJamfPro,
} from '../../fakes/jamf-pro/index.ts';
import { accessToken, COMPUTERS, get, jamfError, MOBILE_DEVICES, type Page } from './jamf-pro-helpers.ts';

function camel(section: string): string {
  return section.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

describe('fake Jamf Pro: inventory listings', () => {
  let fake: FakeJamfPro;
  let token: string;
  const fleet = generateFleet({ size: 700, seed: 'inventory' });

  beforeAll(async () => {
    fake = await startFakeJamfPro({ computers: fleet.computers, mobileDevices: fleet.mobileDevices });
    token = await accessToken(fake.url);
  });
  afterEach(() => {
    fake.instance().configure({ maxPageSize: 2000 });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('fills only the requested sections of a computer and leaves the others null', async () => {
    const plain = await get<Page<FakeComputer>>(fake.url, COMPUTERS, token, { 'page-size': 5 });
    expect(plain.status).toBe(200);
    expect(plain.body.totalCount).toBe(fleet.computers.length);
    const first = plain.body.results[0]!;
    expect(Object.keys(first)).toEqual(['id', 'udid', ...COMPUTER_SECTIONS.map(camel)]);
    expect(first.general).toMatchObject({ name: expect.any(String), lastContactTime: expect.any(String) });
    for (const section of COMPUTER_SECTIONS.filter((s) => s !== 'GENERAL'))
      expect(first[camel(section)]).toBeNull();

    // Repeated and comma-joined forms mean the same.
    const repeated = await get<Page<FakeComputer>>(fake.url, COMPUTERS, token, {
      section: ['HARDWARE', 'USER_AND_LOCATION,OPERATING_SYSTEM'],
      'page-size': 5,
    });
    const computer = repeated.body.results[0]!;
    expect(computer.general).toBeNull();
    expect(computer.hardware).toMatchObject({ serialNumber: expect.any(String), make: 'Apple' });
    expect(computer.userAndLocation).toMatchObject({
      username: expect.any(String),
      email: expect.any(String),
    });
    expect(computer.operatingSystem).toMatchObject({ name: 'macOS', version: expect.any(String) });
    expect(computer.security).toBeNull();

    const all = await get<Page<FakeComputer>>(fake.url, COMPUTERS, token, { section: 'ALL', 'page-size': 1 });
    const full = all.body.results[0]!;
    expect(full.storage).toMatchObject({
      disks: [expect.objectContaining({ partitions: expect.any(Array) })],
    });
    expect(full.applications).toEqual([]);
    expect(full.security).toMatchObject({ sipStatus: 'ENABLED' });
    expect(full.purchasing?.warrantyDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('serves mobile devices with their own sections and rejects unknown sections', async () => {
    const page = await get<Page<FakeMobileDevice>>(fake.url, MOBILE_DEVICES, token, {
      section: 'GENERAL,HARDWARE,SECURITY,USER_AND_LOCATION',
      'page-size': 3,
    });
    expect(page.body.totalCount).toBe(fleet.mobileDevices.length);
    const ipad = page.body.results[0]!;
    expect(Object.keys(ipad)).toEqual(['mobileDeviceId', 'deviceType', ...MOBILE_DEVICE_SECTIONS.map(camel)]);
    expect(ipad).toMatchObject({
      mobileDeviceId: expect.stringMatching(/^\d+$/),
      deviceType: 'iOS',
      general: { udid: expect.any(String), lastInventoryUpdateDate: expect.any(String), managed: true },
      hardware: {
        serialNumber: expect.any(String),
        wifiMacAddress: expect.stringMatching(/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/),
      },
      security: { lostModeEnabled: expect.any(Boolean), activationLockEnabled: expect.any(Boolean) },
      userAndLocation: { building: expect.any(String), emailAddress: expect.any(String) },
      purchasing: null,
      network: null,
    });

    for (const [path, section] of [
      [COMPUTERS, 'NETWORK'],
      [MOBILE_DEVICES, 'ALL'],
      [COMPUTERS, 'general'],
    ] as const) {
      const bad = await get(fake.url, path, token, { section });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual(jamfError(400, 'INVALID_FIELD'));
    }
  });

  it('pages from 0 with page-size 100 by default, up to the maximum', async () => {
    const first = await get(fake.url, COMPUTERS, token);
    expect(first.body.results).toHaveLength(Math.min(100, fleet.computers.length));
    const ids = new Set<string>();
    const pageSize = 37;
    for (let page = 0; page * pageSize < fleet.computers.length + pageSize; page++) {
      const { body } = await get(fake.url, COMPUTERS, token, { page, 'page-size': pageSize });
      expect(body.totalCount).toBe(fleet.computers.length);
      for (const result of body.results) ids.add(String(result.id));
      if (page * pageSize >= fleet.computers.length) expect(body.results).toEqual([]);
    }
    expect(ids.size).toBe(fleet.computers.length);
    expect(fake.requests.at(-1)).toMatchObject({ listing: true, serials: [], operation: 'computers.list' });

    expect((await get(fake.url, COMPUTERS, token, { 'page-size': 2000 })).status).toBe(200);
    const over = await get(fake.url, COMPUTERS, token, { 'page-size': 2001 });
    expect(over.status).toBe(400);
    expect(over.body).toEqual(jamfError(400, 'INVALID_PARAMETER'));
    fake.instance().configure({ maxPageSize: 500 });
    expect((await get(fake.url, COMPUTERS, token, { 'page-size': 501 })).status).toBe(400);
    const invalid: Record<string, string | number>[] = [{ page: -1 }, { page: 'x' }, { 'page-size': 0 }];
    for (const params of invalid) {
      expect((await get(fake.url, MOBILE_DEVICES, token, params)).status).toBe(400);
    }
  });

  it('sorts by general.name by default and by the given keys, ties broken by ID', async () => {
    const names = (
      await get<Page<FakeComputer>>(fake.url, COMPUTERS, token, { 'page-size': 2000 })
    ).body.results.map((c) => c.general!.name!.toLowerCase());
    expect(names).toEqual([...names].sort());

    const byId = await get<Page<FakeComputer>>(fake.url, COMPUTERS, token, {
      sort: 'id:desc',
      'page-size': 2000,
    });
    const ids = byId.body.results.map((c) => Number(c.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const byContact = await get<Page<FakeComputer>>(fake.url, COMPUTERS, token, {
      sort: 'general.lastContactTime:desc,id:asc',
      section: 'GENERAL',
      'page-size': 2000,
    });
    const times = byContact.body.results.map((c) => Date.parse(c.general!.lastContactTime!));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const ipads = await get<Page<FakeMobileDevice>>(fake.url, MOBILE_DEVICES, token, {
      sort: 'batteryLevel:asc',
      section: 'HARDWARE',
      'page-size': 2000,
    });
    const levels = ipads.body.results.map((d) => d.hardware!.batteryLevel!);
    expect(levels).toEqual([...levels].sort((a, b) => a - b));

    for (const sort of ['hardware.serialNumber:asc', 'general.name:up', 'nothing']) {
      expect((await get(fake.url, COMPUTERS, token, { sort })).status).toBe(400);
    }
  });

  it('answers the v1 computer path as the v2 one, and 404 elsewhere', async () => {
    const params = { section: 'GENERAL,HARDWARE', 'page-size': 20, sort: 'id:asc' };
    const v1 = await get(fake.url, '/api/v1/computers-inventory', token, params);
    expect(v1.status).toBe(200);
    expect(v1.body).toEqual((await get(fake.url, COMPUTERS, token, params)).body);
    expect(fake.requests.at(-2)).toMatchObject({
      operation: 'computers.list',
      path: '/api/v1/computers-inventory',
    });

    const api = await get(fake.url, '/api/v1/mobile-devices', token);
    expect(api.status).toBe(404);
    expect(api.body).toEqual(jamfError(404, 'NOT_FOUND'));
    const page = await fetch(`${fake.url}/JSSResource/computers`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const post = await fetch(`${fake.url}${COMPUTERS}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(post.status).toBe(405);
  });

  it('sees updates to a device and a replaced fleet at once', async () => {
    const target = fleet.computers[3]!;
    const updated = fake.updateComputer('default', target.id, {
      general: { name: '000-first-after-update', lastContactTime: '2026-11-20T11:00:00Z' },
    });
    expect(updated.general?.assetTag).toBe(target.general?.assetTag);
    expect(target.general?.name).not.toBe('000-first-after-update');
    const { body } = await get<Page<FakeComputer>>(fake.url, COMPUTERS, token, { 'page-size': 1 });
    expect(body.results[0]).toMatchObject({ id: target.id, general: { name: '000-first-after-update' } });

    const ipad = fleet.mobileDevices[0]!;
    fake.updateMobileDevice('default', ipad.mobileDeviceId, { hardware: { serialNumber: 'RENAMED0001' } });
    const found = await get<Page<FakeMobileDevice>>(fake.url, MOBILE_DEVICES, token, {
      filter: 'serialNumber==RENAMED0001',
    });
    expect(found.body.results.map((d) => d.mobileDeviceId)).toEqual([ipad.mobileDeviceId]);
    expect(() => fake.updateComputer('default', 'no-such-id', {})).toThrow();

    fake.setMobileDevices('default', fleet.mobileDevices.slice(0, 2));
    expect((await get(fake.url, MOBILE_DEVICES, token)).body.totalCount).toBe(2);
    fake.setMobileDevices('default', fleet.mobileDevices);
  });
});

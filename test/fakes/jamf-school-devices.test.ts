import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeJamfSchool,
  type FakeJamfSchoolDevice,
  formatJamfTime,
  generateFleetDetailed,
  startFakeJamfSchool,
} from '../../fakes/jamf-school/index.ts';
import { jamf, listDevices } from './jamf-school-helpers.ts';

const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const SERIALS = ['DMPXK3Q9KXYZ', 'F9FZL2M4N6PQ', 'GG7HJ8K2L4MN', 'H4W9X2Y7Z3', 'K7Q2M9P4R6'];

describe('fake Jamf School: GET /api/devices and /api/devices/{UDID}', () => {
  let fake: FakeJamfSchool;
  const { devices, manifest } = generateFleetDetailed({
    size: 60,
    seed: 'devices',
    serials: SERIALS,
    trashed: 4,
    duplicatesOf: ['GG7HJ8K2L4MN'],
    caseVariants: 2,
    junk: 3,
  });
  const live = devices.filter((d) => !d.inTrash);
  const bySerial = (serial: string) => devices.find((d) => d.UDID === manifest.bySerial[serial])!;

  beforeAll(async () => {
    fake = await startFakeJamfSchool({ devices });
  });
  afterAll(() => fake.close());

  it('lists every device outside the trash in one answer, in Jamf School’s list shape', async () => {
    const mark = fake.mark();
    const list = await listDevices(fake);
    expect(list.code).toBe(200);
    expect(list.count).toBe(live.length);
    expect(list.devices.map((d) => d.UDID)).toEqual(live.map((d) => d.UDID));
    for (const device of list.devices) {
      expect(device).not.toHaveProperty('groupIds');
      expect(device).not.toHaveProperty('apps');
      expect(device.lastCheckin).toMatch(TIME);
      expect(device.modified).toMatch(TIME);
      expect(device.batteryLevel).toBeGreaterThanOrEqual(0);
      expect(device.batteryLevel).toBeLessThanOrEqual(1);
      expect(typeof device.model.type).toBe('string');
      expect(['manual', 'ac2', 'ac2Pending', 'dep', 'depPending']).toContain(device.enrollType);
    }
    expect(fake.requestsSince(mark)).toEqual([
      expect.objectContaining({
        kind: 'api',
        operation: 'devices.list',
        listing: true,
        serials: [],
        status: 200,
        resultCount: live.length,
        instance: 'default',
        networkId: fake.networkId,
        protocolVersion: '3',
      }),
    ]);
  });

  it('looks a device up by serialnumber and logs the serial, not a listing', async () => {
    const mark = fake.mark();
    const list = await listDevices(fake, 'serialnumber=DMPXK3Q9KXYZ');
    const expected = devices.filter((d) => d.serialNumber.toUpperCase() === 'DMPXK3Q9KXYZ');
    expect(list.count).toBe(expected.length);
    expect(list.devices.map((d) => d.UDID)).toEqual(expected.map((d) => d.UDID));
    expect(fake.requestsSince(mark)[0]).toMatchObject({
      operation: 'devices.lookup',
      listing: false,
      serials: ['DMPXK3Q9KXYZ'],
      query: { serialnumber: 'DMPXK3Q9KXYZ' },
      resultCount: expected.length,
    });
  });

  it('answers an empty list for an unknown serial, and treats an empty serialnumber as no filter', async () => {
    expect(await listDevices(fake, 'serialnumber=NOSUCHSERIAL')).toEqual({
      code: 200,
      count: 0,
      devices: [],
    });
    const mark = fake.mark();
    const all = await listDevices(fake, 'serialnumber=');
    expect(all.count).toBe(live.length);
    expect(fake.requestsSince(mark)[0]).toMatchObject({
      operation: 'devices.list',
      listing: true,
      serials: [],
    });
  });

  it('compares serials ignoring case by default, exactly with serialCaseSensitive; spaces never match', async () => {
    const [lowered, padded] = Object.entries(manifest.variants);
    expect(lowered![1]).toBe(lowered![0].toLowerCase());
    expect(padded![1]).toBe(` ${padded![0]} `);
    const udid = manifest.bySerial[lowered![0]];
    expect((await listDevices(fake, `serialnumber=${lowered![0]}`)).devices.map((d) => d.UDID)).toEqual([
      udid,
    ]);
    expect((await listDevices(fake, `serialnumber=${lowered![0].toLowerCase()}`)).count).toBe(1);
    expect((await listDevices(fake, `serialnumber=${padded![0]}`)).count).toBe(0);
    fake.serialCaseSensitive = true;
    try {
      expect((await listDevices(fake, `serialnumber=${lowered![0]}`)).count).toBe(0);
      expect((await listDevices(fake, `serialnumber=${lowered![1]}`)).count).toBe(1);
    } finally {
      fake.serialCaseSensitive = false;
    }
  });

  it('returns both records of a re-enrolled device, the older one with an older check-in', async () => {
    const list = await listDevices(fake, 'serialnumber=GG7HJ8K2L4MN');
    expect(list.count).toBe(2);
    const [older] = manifest.duplicateUdids;
    const newer = manifest.bySerial.GG7HJ8K2L4MN;
    const byUdid = new Map(list.devices.map((d) => [d.UDID, d]));
    expect(new Set(byUdid.keys())).toEqual(new Set([older, newer]));
    expect(byUdid.get(older!)!.lastCheckin < byUdid.get(newer!)!.lastCheckin).toBe(true);
  });

  it('leaves trashed devices out unless inTrash is set, and then answers only them', async () => {
    const trashed = devices.filter((d) => d.inTrash);
    expect(trashed).toHaveLength(4);
    const target = trashed[0]!;
    expect(
      (await listDevices(fake, `serialnumber=${encodeURIComponent(target.serialNumber)}`)).devices,
    ).not.toContainEqual(expect.objectContaining({ UDID: target.UDID }));
    const inTrash = await listDevices(fake, 'inTrash=1');
    expect(inTrash.devices.map((d) => d.UDID)).toEqual(trashed.map((d) => d.UDID));
    expect(inTrash.devices.every((d) => d.inTrash)).toBe(true);
    expect((await listDevices(fake, 'inTrash=0')).count).toBe(live.length);
  });

  it('filters by the other documented parameters', async () => {
    const sample = live.find((d) => d.owner.id && d.assetTag && d.groupIds.length > 1)!;
    fake.updateDevice('default', live.find((d) => d !== sample)!.UDID, { isManaged: false });
    const check = async (query: string, predicate: (d: FakeJamfSchoolDevice) => boolean) => {
      const list = await listDevices(fake, query);
      const expected = live.filter(predicate).map((d) => d.UDID);
      expect(expected.length).toBeGreaterThan(0);
      expect(list.devices.map((d) => d.UDID)).toEqual(expected);
      expect(list.count).toBe(expected.length);
    };
    await check(`assettag=${sample.assetTag.toLowerCase()}`, (d) => d.assetTag === sample.assetTag);
    await check(`owner=${sample.owner.id}`, (d) => d.owner.id === sample.owner.id);
    await check(`groups=999,${sample.groupIds[1]}`, (d) => d.groupIds.includes(sample.groupIds[1]!));
    await check(`location=${sample.locationId}`, (d) => d.locationId === sample.locationId);
    await check('managed=1', (d) => d.isManaged);
    await check('managed=0', (d) => !d.isManaged);
    await check('supervised=true', (d) => d.isSupervised);
    await check('enrollType=ac2', (d) => d.enrollType === 'ac2');
    await check(
      `location=${sample.locationId}&managed=1`,
      (d) => d.locationId === sample.locationId && d.isManaged,
    );
  });

  it('includes apps when includeApps is present, whatever its value', async () => {
    const serial = SERIALS[0]!;
    const withApps = await listDevices(fake, `serialnumber=${serial}&includeApps=0`);
    expect(withApps.devices[0]!.apps).toEqual(bySerial(serial).apps ?? []);
    expect(withApps.devices[0]).not.toHaveProperty('groupIds');
  });

  it('answers one device by UDID in the single-device shape', async () => {
    const device = live.find((d) => d.owner.id && d.class === 'ipad')!;
    const mark = fake.mark();
    const answer = await jamf(fake, `devices/${device.UDID}`);
    expect(answer.status).toBe(200);
    const body = answer.json as { code: number; device: Record<string, unknown> };
    expect(body.code).toBe(200);
    expect(body.device).toMatchObject({
      UDID: device.UDID,
      serialNumber: device.serialNumber,
      class: 'ipad',
      model: { name: device.model.name, identifier: device.model.identifier, type: { value: 'iPad' } },
      os: device.os,
      owner: { id: device.owner.id, email: device.owner.email, groupIds: [], vpp: [] },
      deviceEnrollType: device.enrollType,
      groupIds: device.groupIds,
      groups: device.groups,
      WiFiMAC: device.networkInformation.WiFiMAC,
      bluetoothMAC: device.networkInformation.BluetoothMAC,
      IPAddress: device.networkInformation.IPAddress,
      lastCheckin: { date: `${device.lastCheckin}.000000`, timezone_type: 3, timezone: 'UTC' },
      inTrash: false,
    });
    expect(body.device).not.toHaveProperty('enrollType');
    expect(body.device).not.toHaveProperty('apps');
    expect(fake.requestsSince(mark)[0]).toMatchObject({
      operation: 'devices.get',
      listing: false,
      udid: device.UDID,
      resultCount: 1,
    });
  });

  it('shows an unowned device’s owner as {} and a trashed device with inTrash', async () => {
    const unowned = live.find((d) => !d.owner.id)!;
    const owner = ((await jamf(fake, `devices/${unowned.UDID}`)).json as { device: { owner: unknown } })
      .device.owner;
    expect(owner).toEqual({});
    const trashed = devices.find((d) => d.inTrash)!;
    const answer = await jamf(fake, `devices/${trashed.UDID}?includeApps`);
    expect((answer.json as { device: { inTrash: boolean; apps: unknown } }).device).toMatchObject({
      inTrash: true,
      apps: trashed.apps ?? [],
    });
  });

  it('answers 404 DeviceNotFound for an unknown UDID', async () => {
    const mark = fake.mark();
    const answer = await jamf(fake, 'devices/00008101-000000000000DEAD');
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ code: 404, message: 'DeviceNotFound' });
    expect(fake.requestsSince(mark)[0]).toMatchObject({ error: 'DeviceNotFound', operation: 'devices.get' });
  });

  it('serves device changes at once, stamping modified with the fake clock', async () => {
    const device = bySerial(SERIALS[3]!);
    fake.advanceTime(3_600_000);
    const before = formatJamfTime(fake.now());
    const updated = fake.updateDevice('default', device.UDID, { name: 'Renamed iPad', notes: 'Loaner' });
    expect([before, formatJamfTime(fake.now())]).toContain(updated.modified);
    const list = await listDevices(fake, `serialnumber=${SERIALS[3]}`);
    expect(list.devices[0]).toMatchObject({
      name: 'Renamed iPad',
      notes: 'Loaner',
      modified: updated.modified,
    });
    fake.updateDevice('default', device.UDID, { serialNumber: 'NEWSERIAL01' });
    expect((await listDevices(fake, `serialnumber=${SERIALS[3]}`)).count).toBe(0);
    expect((await listDevices(fake, 'serialnumber=NEWSERIAL01')).devices[0]!.UDID).toBe(device.UDID);
    expect(() => fake.updateDevice('default', 'nope', {})).toThrow(/no device/);
  });
});

describe('fake Jamf School: incomplete listings and paging', () => {
  let fake: FakeJamfSchool;
  const { devices } = generateFleetDetailed({ size: 250, seed: 'paging' });

  beforeAll(async () => {
    fake = await startFakeJamfSchool({ devices });
  });
  afterAll(() => fake.close());

  it('truncates the answer at maxDevicesPerResponse while count stays the total', async () => {
    fake.maxDevicesPerResponse = 100;
    try {
      const mark = fake.mark();
      const list = await listDevices(fake);
      expect(list.count).toBe(250);
      expect(list.devices).toHaveLength(100);
      expect(list.devices.map((d) => d.UDID)).toEqual(devices.slice(0, 100).map((d) => d.UDID));
      // A client sees count > devices.length and knows the listing is incomplete.
      expect(list.count).toBeGreaterThan(list.devices.length);
      expect(fake.requestsSince(mark)[0]!.resultCount).toBe(100);
      // Paging parameters mean nothing to a server that does not page.
      expect((await listDevices(fake, 'page=2&limit=10')).devices[0]!.UDID).toBe(devices[0]!.UDID);
    } finally {
      fake.maxDevicesPerResponse = undefined;
    }
    expect((await listDevices(fake)).devices).toHaveLength(250);
  });

  it('pages with page (1-based) and limit under page-param paging', async () => {
    fake.paging = 'page-param';
    try {
      const seen: string[] = [];
      for (let page = 1; ; page++) {
        const list = await listDevices(fake, `page=${page}&limit=60`);
        expect(list.count).toBe(250);
        if (list.devices.length === 0) break;
        expect(list.devices.length).toBeLessThanOrEqual(60);
        seen.push(...list.devices.map((d) => d.UDID));
      }
      expect(seen).toEqual(devices.map((d) => d.UDID));
      const first = await listDevices(fake);
      expect(first.devices).toHaveLength(fake.pageSize);
      fake.pageSize = 40;
      expect((await listDevices(fake, 'page=2')).devices.map((d) => d.UDID)).toEqual(
        devices.slice(40, 80).map((d) => d.UDID),
      );
      expect((await listDevices(fake, 'page=1&limit=5000')).devices).toHaveLength(250);
    } finally {
      fake.paging = 'none';
      fake.pageSize = 100;
    }
  });
});

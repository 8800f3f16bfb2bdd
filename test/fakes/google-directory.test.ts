import type { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeChromeDevice,
  type FakeGoogle,
  FULL_ONLY_FIELDS,
  generateFleetDetailed,
  startFakeGoogle,
} from '../../fakes/google/index.ts';
import { authorize, directory, failure } from './google-helpers.ts';

const DOMAIN = 'district.example.org';
const SYNC_DOMAIN = 'sync.example.org';

function syncDevice(n: number, lastSync: string): FakeChromeDevice {
  return {
    deviceId: `sync-${n}`,
    serialNumber: `SYNC${String(n).padStart(4, '0')}`,
    status: 'ACTIVE',
    lastSync,
    orgUnitPath: '/Students',
  };
}

describe('fake Directory API (official @googleapis/admin client)', () => {
  let fake: FakeGoogle;
  let client: OAuth2Client;
  let api: ReturnType<typeof directory>;
  const { devices, manifest } = generateFleetDetailed({
    size: 1000,
    seed: 'directory',
    serials: ['5CD123ABCD', 'PF0ZZTOP'],
    deprovisioned: 40,
    junk: 3,
  });

  beforeAll(async () => {
    fake = await startFakeGoogle({
      fleets: {
        [DOMAIN]: devices,
        [SYNC_DOMAIN]: [
          syncDevice(1, '2026-11-18T23:59:59.000Z'),
          syncDevice(2, '2026-11-19T00:00:00.000Z'),
          syncDevice(3, '2026-11-19T15:30:00.000Z'),
          syncDevice(4, '2026-11-20T00:00:00.000Z'),
          syncDevice(5, '2026-11-21T08:00:00.000Z'),
          { deviceId: 'sync-6', serialNumber: 'SYNC0006', status: 'ACTIVE' },
        ],
      },
    });
    ({ client } = await authorize(fake));
    api = directory(fake, client);
  });
  afterAll(async () => {
    await fake.close();
  });

  it('pages through 1,003 devices with maxResults 300 and fields, returning each device once', async () => {
    const mark = fake.mark();
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const res = await api.chromeosdevices.list({
        customerId: 'my_customer',
        maxResults: 300,
        fields: 'nextPageToken,chromeosdevices(deviceId,serialNumber)',
        ...(pageToken ? { pageToken } : {}),
      });
      pages++;
      expect(Object.keys(res.data).sort()).toEqual(
        res.data.nextPageToken ? ['chromeosdevices', 'nextPageToken'] : ['chromeosdevices'],
      );
      for (const d of res.data.chromeosdevices ?? []) {
        expect(Object.keys(d).sort()).toEqual(['deviceId', 'serialNumber']);
        seen.push(d.deviceId!);
      }
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(devices.length);
    expect(new Set(seen).size).toBe(devices.length);
    const calls = fake.requestsSince(mark);
    expect(calls.map((c) => c.query.maxResults)).toEqual(['300', '300', '300', '300']);
    expect(calls.every((c) => c.subject === `admin@${DOMAIN}` && c.status === 200)).toBe(true);
  });

  it('matches id: as a case-insensitive substring of at least 3 characters, and logs the serials', async () => {
    const target = devices.find((d) => d.serialNumber === '5CD123ABCD')!;
    const mark = fake.mark();
    const res = await api.chromeosdevices.list({ customerId: 'my_customer', query: 'id:d123a' });
    const serials = (res.data.chromeosdevices ?? []).map((d) => d.serialNumber);
    expect(serials).toContain('5CD123ABCD');
    expect(serials.every((s) => s!.toLowerCase().includes('d123a'))).toBe(true);
    expect(res.data.chromeosdevices?.find((d) => d.deviceId === target.deviceId)?.kind).toBe(
      'admin#directory#chromeosdevice',
    );
    expect(fake.requestsSince(mark)[0]?.serials).toEqual(['d123a']);

    const broad = await api.chromeosdevices.list({
      customerId: 'my_customer',
      query: 'id:5cd',
      maxResults: 300,
    });
    const expected = devices.filter((d) => d.serialNumber.toLowerCase().includes('5cd')).length;
    expect(expected).toBeGreaterThan(1);
    expect(broad.data.chromeosdevices?.length).toBe(Math.min(expected, 300));

    const short = await failure(api.chromeosdevices.list({ customerId: 'my_customer', query: 'id:5C' }));
    expect(short).toMatchObject({
      status: 400,
      data: { error: { code: 400, errors: [{ reason: 'invalid', domain: 'global' }] } },
    });
    expect(fake.requests.at(-1)?.serials).toEqual(['5C']);
  });

  it('omits chromeosdevices when nothing matches', async () => {
    const res = await api.chromeosdevices.list({ customerId: 'my_customer', query: 'id:NO-SUCH-SERIAL' });
    expect(res.data.chromeosdevices).toBeUndefined();
    expect(res.data.kind).toBe('admin#directory#chromeosdevices');
    expect(res.data.nextPageToken).toBeUndefined();
  });

  it('supports the four sync: date forms, in UTC days', async () => {
    const { client: syncClient } = await authorize(fake, { email: `admin@${SYNC_DOMAIN}` });
    const syncApi = directory(fake, syncClient);
    const ids = async (query: string) =>
      (
        (await syncApi.chromeosdevices.list({ customerId: 'my_customer', query, orderBy: 'serialNumber' }))
          .data.chromeosdevices ?? []
      ).map((d) => d.deviceId);
    expect(await ids('sync:2026-11-19')).toEqual(['sync-2', 'sync-3']);
    expect(await ids('sync:2026-11-19..2026-11-20')).toEqual(['sync-2', 'sync-3', 'sync-4']);
    expect(await ids('sync:..2026-11-19')).toEqual(['sync-1', 'sync-2', 'sync-3']);
    expect(await ids('sync:2026-11-20..')).toEqual(['sync-4', 'sync-5']);
    expect(await ids('sync:2026-11-19.. id:sync000')).toEqual(['sync-2', 'sync-3', 'sync-4', 'sync-5']);
    expect(
      (await failure(syncApi.chromeosdevices.list({ customerId: 'my_customer', query: 'sync:yesterday' })))
        .status,
    ).toBe(400);
    // A device that syncs again moves into later ranges and out of earlier ones, for counts as for listings.
    const counted = async (filter: string) =>
      Number(
        (await syncApi.customer.devices.chromeos.countChromeOsDevices({ customerId: 'my_customer', filter }))
          .data.count ?? 0,
      );
    expect(await counted('sync:2026-11-20..')).toBe(2);
    fake.updateDevice(SYNC_DOMAIN, 'sync-1', { lastSync: '2026-11-22T10:00:00.000Z' });
    fake.updateDevice(SYNC_DOMAIN, 'sync-6', { lastSync: '2026-11-20T10:00:00.000Z' });
    try {
      expect(await ids('sync:2026-11-20..')).toEqual(['sync-1', 'sync-4', 'sync-5', 'sync-6']);
      expect(await counted('sync:2026-11-20..')).toBe(4);
      expect(await ids('sync:..2026-11-19')).toEqual(['sync-2', 'sync-3']);
    } finally {
      fake.updateDevice(SYNC_DOMAIN, 'sync-1', { lastSync: '2026-11-18T23:59:59.000Z' });
      fake.updateDevice(SYNC_DOMAIN, 'sync-6', { lastSync: undefined });
    }
    expect(await ids('sync:2026-11-20..')).toEqual(['sync-4', 'sync-5']);
  });

  it('filters by status:, asset_id: and orgUnitPath (with and without children)', async () => {
    const all = async (params: Record<string, unknown>) => {
      const out: FakeChromeDevice[] = [];
      let pageToken: string | undefined;
      do {
        const res = await api.chromeosdevices.list({
          customerId: 'my_customer',
          maxResults: 300,
          ...params,
          ...(pageToken ? { pageToken } : {}),
        });
        out.push(...((res.data.chromeosdevices ?? []) as FakeChromeDevice[]));
        pageToken = res.data.nextPageToken ?? undefined;
      } while (pageToken);
      return out;
    };
    const deprovisioned = await all({
      query: 'status:deprovisioned',
      fields: 'nextPageToken,chromeosdevices(deviceId,status)',
    });
    expect(deprovisioned.map((d) => d.deviceId).sort()).toEqual([...manifest.deprovisionedDeviceIds].sort());
    const managed = await all({ query: 'status:managed', fields: 'nextPageToken,chromeosdevices(deviceId)' });
    expect(managed).toHaveLength(devices.length - 40);

    const withAsset = devices.find((d) => d.annotatedAssetId)!;
    const byAsset = await all({ query: `asset_id:${withAsset.annotatedAssetId!.toLowerCase()}` });
    expect(byAsset.map((d) => d.deviceId)).toContain(withAsset.deviceId);

    const students = await all({
      orgUnitPath: 'Students',
      includeChildOrgunits: true,
      fields: 'nextPageToken,chromeosdevices(orgUnitPath)',
    });
    expect(students.length).toBe(devices.filter((d) => d.orgUnitPath?.startsWith('/Students/')).length);
    const staffOnly = await all({ orgUnitPath: '/Staff' });
    expect(staffOnly.every((d) => d.orgUnitPath === '/Staff')).toBe(true);
    expect(await all({ orgUnitPath: 'Students' })).toHaveLength(0);
    expect(
      (await failure(api.chromeosdevices.list({ customerId: 'my_customer', orgUnitPath: '/Nope' }))).status,
    ).toBe(400);
  });

  it('orders by serialNumber/lastSync in both directions', async () => {
    const asc = await api.chromeosdevices.list({
      customerId: 'my_customer',
      orderBy: 'serialNumber',
      maxResults: 50,
      fields: 'chromeosdevices/serialNumber',
    });
    const serials = asc.data.chromeosdevices!.map((d) => d.serialNumber!.toLowerCase());
    expect(serials).toEqual([...serials].sort());
    const desc = await api.chromeosdevices.list({
      customerId: 'my_customer',
      orderBy: 'lastSync',
      sortOrder: 'DESCENDING',
      maxResults: 20,
      fields: 'chromeosdevices(lastSync)',
    });
    const times = desc.data.chromeosdevices!.map((d) => Date.parse(d.lastSync!));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const newest = Math.max(...devices.map((d) => Date.parse(d.lastSync!)));
    expect(times[0]).toBe(newest);
  });

  it('honours projection BASIC/FULL and returns int64 as strings, timestamps as RFC 3339', async () => {
    const basic = await api.chromeosdevices.list({
      customerId: 'my_customer',
      projection: 'BASIC',
      maxResults: 5,
    });
    for (const d of basic.data.chromeosdevices!) {
      for (const field of FULL_ONLY_FIELDS) expect(d).not.toHaveProperty(field);
      expect(d.serialNumber).toBeTruthy();
      expect(d.status).toBeTruthy();
    }
    const full = await api.chromeosdevices.list({
      customerId: 'my_customer',
      projection: 'FULL',
      maxResults: 5,
    });
    const d = full.data.chromeosdevices![0]!;
    expect(d.recentUsers?.[0]).toMatchObject({ type: 'USER_TYPE_MANAGED' });
    expect(typeof d.systemRamTotal).toBe('string');
    expect(typeof d.autoUpdateExpiration).toBe('string');
    expect(typeof d.diskVolumeReports?.[0]?.volumeInfo?.[0]?.storageFree).toBe('string');
    expect(d.lastSync).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  });

  it('answers prettyPrint=false with the same content, field selections and projections included', async () => {
    const selections = [
      undefined,
      'nextPageToken,chromeosdevices(deviceId,serialNumber,recentUsers,diskVolumeReports)',
      'kind,chromeosdevices/serialNumber',
      '*',
      'nextPageToken',
    ];
    for (const projection of ['FULL', 'BASIC'] as const) {
      for (const fields of selections) {
        const ask = (prettyPrint: boolean) =>
          api.chromeosdevices.list({
            customerId: 'my_customer',
            projection,
            maxResults: 7,
            orderBy: 'serialNumber',
            prettyPrint,
            ...(fields ? { fields } : {}),
          });
        const [pretty, compact] = [await ask(true), await ask(false)];
        // Page tokens carry the time of the first page, so only their presence is compared.
        const { nextPageToken: prettyToken, ...prettyRest } = pretty.data;
        const { nextPageToken: compactToken, ...compactRest } = compact.data;
        expect(compactRest).toEqual(prettyRest);
        expect(Boolean(compactToken)).toBe(Boolean(prettyToken));
      }
    }
    // A changed device shows in the next answer.
    const first = (
      await api.chromeosdevices.list({ customerId: 'my_customer', maxResults: 1, prettyPrint: false })
    ).data.chromeosdevices![0]!;
    fake.updateDevice(DOMAIN, first.deviceId!, { osVersion: '999.0.0.0' });
    const again = await api.chromeosdevices.list({
      customerId: 'my_customer',
      maxResults: 1,
      prettyPrint: false,
    });
    expect(again.data.chromeosdevices![0]).toMatchObject({
      deviceId: first.deviceId,
      osVersion: '999.0.0.0',
    });
  });

  it('rejects maxResults above 300 with invalidParameter and bad fields selections', async () => {
    const tooMany = await failure(api.chromeosdevices.list({ customerId: 'my_customer', maxResults: 301 }));
    expect(tooMany).toMatchObject({
      status: 400,
      data: {
        error: {
          message: "Invalid value '301'. Values must be within the range: [1, 300]",
          errors: [{ reason: 'invalidParameter', location: 'maxResults' }],
        },
      },
    });
    const badFields = await failure(
      api.chromeosdevices.list({ customerId: 'my_customer', fields: 'chromeosdevices(nope)' }),
    );
    expect(badFields.status).toBe(400);
  });

  it('gets one device (404 notFound for an unknown ID) with fields', async () => {
    const target = devices.find((d) => d.serialNumber === 'PF0ZZTOP')!;
    const res = await api.chromeosdevices.get({
      customerId: 'my_customer',
      deviceId: target.deviceId,
      fields: 'deviceId,serialNumber,recentUsers/email',
    });
    expect(res.data).toEqual({
      deviceId: target.deviceId,
      serialNumber: 'PF0ZZTOP',
      recentUsers: target.recentUsers!.map((u) => (u.email ? { email: u.email } : {})),
    });
    const missing = await failure(
      api.chromeosdevices.get({ customerId: 'my_customer', deviceId: 'no-such-device' }),
    );
    expect(missing).toMatchObject({
      status: 404,
      data: { error: { code: 404, errors: [{ reason: 'notFound' }] } },
    });
    expect(fake.requests.at(-1)).toMatchObject({
      operation: 'directory.chromeosdevices.get',
      deviceId: 'no-such-device',
      status: 404,
    });
  });

  it('counts devices with countChromeOsDevices (int64 as a string)', async () => {
    const all = await api.customer.devices.chromeos.countChromeOsDevices({ customerId: 'my_customer' });
    expect(all.data).toEqual({ count: String(devices.length) });
    const active = await api.customer.devices.chromeos.countChromeOsDevices({
      customerId: 'my_customer',
      filter: 'status:provisioned',
    });
    expect(active.data.count).toBe(String(devices.filter((d) => d.status === 'ACTIVE').length));
    const staff = await api.customer.devices.chromeos.countChromeOsDevices({
      customerId: 'my_customer',
      orgUnitPath: 'Staff',
      includeChildOrgunits: true,
    });
    expect(staff.data.count).toBe(String(devices.filter((d) => d.orgUnitPath === '/Staff').length));
    expect(fake.requests.at(-1)?.path).toBe(
      '/admin/directory/v1/customer/my_customer/devices/chromeos:countChromeOsDevices',
    );
  });

  it('expires page tokens an hour after the first page', async () => {
    const first = await api.chromeosdevices.list({ customerId: 'my_customer', maxResults: 10 });
    fake.advanceTime(3_601_000);
    try {
      await client.refreshAccessToken(); // the access token aged too
      const stale = await failure(
        api.chromeosdevices.list({
          customerId: 'my_customer',
          maxResults: 10,
          pageToken: first.data.nextPageToken!,
        }),
      );
      expect(stale).toMatchObject({ status: 400, data: { error: { errors: [{ reason: 'badRequest' }] } } });
    } finally {
      fake.advanceTime(-3_601_000);
    }
  });

  it('keeps page tokens bound to their query and sees device updates', async () => {
    const first = await api.chromeosdevices.list({
      customerId: 'my_customer',
      maxResults: 10,
      query: 'status:provisioned',
    });
    const token = first.data.nextPageToken!;
    const mismatch = await failure(
      api.chromeosdevices.list({ customerId: 'my_customer', pageToken: token, query: 'status:disabled' }),
    );
    expect(mismatch.status).toBe(400);
    const target = devices.find((d) => d.status === 'ACTIVE')!;
    fake.updateDevice(DOMAIN, target.deviceId, { status: 'DISABLED' });
    const disabled = await api.chromeosdevices.list({ customerId: 'my_customer', query: 'status:disabled' });
    expect(disabled.data.chromeosdevices?.map((d) => d.deviceId)).toEqual([target.deviceId]);
    fake.updateDevice(DOMAIN, target.deviceId, { status: 'ACTIVE' });
  });
});

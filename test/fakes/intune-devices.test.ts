import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeIntune,
  type FakeManagedDevice,
  generateFleetDetailed,
  MANAGED_DEVICE_PROPERTIES,
  startFakeIntune,
} from '../../fakes/intune/index.ts';
import {
  accessToken,
  type DevicePage,
  graph,
  listAll,
  managedDevicesPath,
  type ODataError,
} from './intune-helpers.ts';

const SERIALS = ['PF3ABC12', '5CD1234XYZ', 'H7TQ2K3', 'DMPXK2LQ9A1B'];
const { devices: FLEET, manifest } = generateFleetDetailed({
  size: 2500,
  seed: 'devices',
  serials: SERIALS,
  junk: 3,
  duplicatesOf: ['PF3ABC12'],
});
const TENANT = 'district.example.org';

describe('fake Intune: Graph managedDevices', () => {
  let fake: FakeIntune;
  let token: string;

  beforeAll(async () => {
    fake = await startFakeIntune({ fleets: { [TENANT]: FLEET } });
    token = await accessToken(fake);
  });
  afterEach(() => {
    fake.resetFaults();
    fake.serialFilterCaseSensitive = false;
  });
  afterAll(async () => {
    await fake.close();
  });

  const list = (query: Record<string, string> = {}) =>
    graph<DevicePage>(fake, token, managedDevicesPath(query));
  const failure = (query: Record<string, string>) =>
    graph<ODataError>(fake, token, managedDevicesPath(query));

  it('pages 1,000 devices at a time with an absolute nextLink, covering every device exactly once', async () => {
    const first = await list();
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json;odata\.metadata=minimal/);
    expect(first.json['@odata.context']).toBe(
      `${fake.graphUrl}/v1.0/$metadata#deviceManagement/managedDevices`,
    );
    expect(first.json.value).toHaveLength(1000);
    const next = new URL(first.json['@odata.nextLink']!);
    expect(`${next.origin}${next.pathname}`).toBe(`${fake.graphUrl}/v1.0/deviceManagement/managedDevices`);
    expect(next.searchParams.get('$skiptoken')).toMatch(/^[\w-]+$/);

    const { pages } = await listAll(fake, token, managedDevicesPath());
    expect(pages.map((page) => page.value.length)).toEqual([1000, 1000, 504]);
    const ids = pages.flatMap((page) => page.value.map((device) => device.id));
    expect(new Set(ids).size).toBe(FLEET.length);
    expect(pages[2]!['@odata.nextLink']).toBeUndefined();
  });

  it('returns every v1.0 property of a device, Int64 values as numbers', async () => {
    const device = (await list({ $top: '1' })).json.value[0]!;
    expect(Object.keys(device)).toEqual([...MANAGED_DEVICE_PROPERTIES]);
    expect(typeof device.totalStorageSpaceInBytes).toBe('number');
    expect(device).not.toHaveProperty('managementState');
  });

  it('honours $top, keeps it in the nextLink, and clamps it to 1,000', async () => {
    const small = await list({ $top: '7' });
    expect(small.json.value).toHaveLength(7);
    expect(new URL(small.json['@odata.nextLink']!).searchParams.get('$top')).toBe('7');
    const second = await graph<DevicePage>(fake, token, small.json['@odata.nextLink']!);
    expect(second.json.value).toHaveLength(7);
    expect(second.json.value[0]!.id).not.toBe(small.json.value[0]!.id);
    expect((await list({ $top: '5000' })).json.value).toHaveLength(1000);
    const bad = await failure({ $top: '-1' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('BadRequest');
  });

  it('takes its page size and $top maximum from options', async () => {
    const small = await startFakeIntune({ pageSize: 3, maxTop: 5, fleets: { [TENANT]: FLEET.slice(0, 20) } });
    try {
      const smallToken = await accessToken(small);
      const page = (query: Record<string, string>) =>
        graph<DevicePage>(small, smallToken, managedDevicesPath(query));
      expect((await page({})).json.value).toHaveLength(3);
      expect((await page({ $top: '4' })).json.value).toHaveLength(4);
      expect((await page({ $top: '10' })).json.value).toHaveLength(5);
    } finally {
      await small.close();
    }
  });

  it('selects v1.0 properties only, in any case, and names the selection in @odata.context', async () => {
    const page = await list({ $select: 'id,SerialNumber,lastSyncDateTime', $top: '3' });
    expect(page.json['@odata.context']).toMatch(/managedDevices\(id,serialNumber,lastSyncDateTime\)$/);
    for (const device of page.json.value)
      expect(Object.keys(device)).toEqual(['id', 'serialNumber', 'lastSyncDateTime']);
  });

  it('refuses a property v1.0 does not have with Graph’s OData error body', async () => {
    const refused = await graph<ODataError>(
      fake,
      token,
      managedDevicesPath({ $select: 'id,managementState' }),
      {
        headers: { 'client-request-id': 'client-req-1' },
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('BadRequest');
    expect(refused.json.error.message).toBe(
      "Parsing OData Select and Expand failed: Could not find a property named 'managementState' on type 'microsoft.graph.managedDevice'.",
    );
    expect(refused.json.error.innerError).toEqual({
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
      'request-id': refused.headers.get('request-id'),
      'client-request-id': 'client-req-1',
    });
    expect(refused.headers.get('client-request-id')).toBe('client-req-1');
  });

  it('honours serialNumber eq, ignoring case by default, returning re-enrolled duplicates too', async () => {
    const mark = fake.mark();
    const page = await list({
      $filter: "serialNumber eq 'pf3abc12'",
      $select: 'id,serialNumber,lastSyncDateTime',
    });
    expect(page.json.value.map((d) => d.serialNumber)).toEqual(['PF3ABC12', 'PF3ABC12']);
    expect(page.json.value.map((d) => d.id)).toContain(manifest.bySerial.PF3ABC12);
    expect(page.json['@odata.nextLink']).toBeUndefined();
    expect(fake.requestsSince(mark)[0]).toMatchObject({
      operation: 'managedDevices.list',
      listing: false,
      filterHonoured: true,
      serials: ['pf3abc12'],
      resultCount: 2,
    });
  });

  it('compares serials case-sensitively when told to', async () => {
    fake.serialFilterCaseSensitive = true;
    expect((await list({ $filter: "serialNumber eq 'pf3abc12'" })).json.value).toHaveLength(0);
    expect((await list({ $filter: "serialNumber eq 'PF3ABC12'" })).json.value).toHaveLength(2);
  });

  it('applies and-combined clauses on the supported properties, ne acting as eq', async () => {
    const windows = FLEET.filter((d) => d.operatingSystem === 'Windows' && d.serialNumber === '5CD1234XYZ');
    const both = await list({ $filter: "serialNumber eq '5CD1234XYZ' and operatingSystem eq 'windows'" });
    expect(both.json.value).toHaveLength(windows.length);
    const since = '2026-11-19T00:00:00Z';
    const recent = FLEET.filter((d) => Date.parse(d.lastSyncDateTime) > Date.parse(since)).length;
    const { pages } = await listAll(
      fake,
      token,
      managedDevicesPath({ $filter: `lastSyncDateTime gt ${since}`, $select: 'id' }),
    );
    expect(pages.flatMap((p) => p.value)).toHaveLength(recent);
    const ne = await list({ $filter: "serialNumber ne 'H7TQ2K3'" });
    expect(ne.json.value.map((d) => d.serialNumber)).toEqual(['H7TQ2K3']);
  });

  it.each([
    ["serialNumber eq 'PF3ABC12' or serialNumber eq 'H7TQ2K3'", ['PF3ABC12', 'H7TQ2K3']],
    ["userId eq '00000000-0000-0000-0000-000000000000'", []],
    ["startswith(deviceName,'HS-')", []],
    ["(serialNumber eq 'PF3ABC12')", ['PF3ABC12']],
  ])('silently ignores %s and returns every device', async (filter, serials) => {
    const mark = fake.mark();
    const { pages } = await listAll(fake, token, managedDevicesPath({ $filter: filter, $select: 'id' }));
    expect(pages.flatMap((p) => p.value)).toHaveLength(FLEET.length);
    expect(fake.requestsSince(mark)[0]).toMatchObject({ listing: true, filterHonoured: false, serials });
  });

  it.each([
    ["serialNumber eq 'PF3ABC12", /unterminated string literal/],
    ["serialNumbr eq 'PF3ABC12'", /Could not find a property named 'serialNumbr'/],
    ['serialNumber eq 2026-01-01T00:00:00Z', /incompatible types/],
    ["lastSyncDateTime gt '2026-01-01'", /incompatible types/],
  ])('rejects the malformed filter %s with 400', async (filter, message) => {
    const refused = await failure({ $filter: filter });
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('BadRequest');
    expect(refused.json.error.message).toMatch(message);
  });

  it('ignores even serial filters when filter support is switched off, and logs a listing', async () => {
    fake.filterSupport = 'ignored';
    const mark = fake.mark();
    const page = await list({ $filter: "serialNumber eq 'PF3ABC12'" });
    expect(page.json.value).toHaveLength(1000);
    expect(fake.requestsSince(mark)[0]).toMatchObject({
      listing: true,
      filterHonoured: false,
      serials: ['PF3ABC12'],
    });
  });

  it('refuses a skiptoken that was tampered with or replayed with another query', async () => {
    const next = (await list({ $top: '5' })).json['@odata.nextLink']!;
    const token5 = new URL(next).searchParams.get('$skiptoken')!;
    expect((await failure({ $top: '6', $skiptoken: token5 })).status).toBe(400);
    const forged = Buffer.from(JSON.stringify({ p: 3, q: 'guessed' })).toString('base64url');
    expect((await failure({ $top: '5', $skiptoken: forged })).status).toBe(400);
    expect((await failure({ $top: '5', $skiptoken: 'not-a-token' })).status).toBe(400);
  });

  it('gets one device by id, also in OData key syntax, and 404s an unknown id', async () => {
    const id = manifest.bySerial.H7TQ2K3!;
    const byPath = await graph<FakeManagedDevice & { '@odata.context': string }>(
      fake,
      token,
      `/v1.0/deviceManagement/managedDevices/${id}?$select=id,serialNumber`,
    );
    expect(byPath.status).toBe(200);
    expect(byPath.json).toEqual({
      '@odata.context': `${fake.graphUrl}/v1.0/$metadata#deviceManagement/managedDevices(id,serialNumber)/$entity`,
      id,
      serialNumber: 'H7TQ2K3',
    });
    const byKey = await graph(fake, token, `/v1.0/deviceManagement/managedDevices('${id.toUpperCase()}')`);
    expect(byKey.json.serialNumber).toBe('H7TQ2K3');
    const missing = await graph<ODataError>(
      fake,
      token,
      '/v1.0/deviceManagement/managedDevices/00000000-0000-4000-8000-000000000000',
    );
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('ResourceNotFound');
    expect(JSON.parse(missing.json.error.message)).toMatchObject({ _version: 3, RetryAfter: null });
  });

  it('counts the fleet in managedDeviceOverview, logged as a count rather than a listing', async () => {
    const mark = fake.mark();
    const overview = await graph(fake, token, '/v1.0/deviceManagement/managedDeviceOverview');
    expect(overview.status).toBe(200);
    const os = overview.json.deviceOperatingSystemSummary as Record<string, number>;
    expect(overview.json).toMatchObject({
      '@odata.context': `${fake.graphUrl}/v1.0/$metadata#deviceManagement/managedDeviceOverview/$entity`,
      enrolledDeviceCount: FLEET.length,
      mdmEnrolledCount: FLEET.length,
      dualEnrolledDeviceCount: 0,
    });
    expect(os.windowsCount).toBe(FLEET.filter((d) => d.operatingSystem === 'Windows').length);
    expect(os.iosCount).toBe(FLEET.filter((d) => d.operatingSystem === 'iOS').length);
    expect(os.macOSCount).toBe(FLEET.filter((d) => d.operatingSystem === 'macOS').length);
    expect(fake.requestsSince(mark)[0]).toMatchObject({
      operation: 'managedDeviceOverview.get',
      listing: false,
    });
  });

  it('sees device updates at once', async () => {
    const id = manifest.bySerial.DMPXK2LQ9A1B!;
    fake.updateDevice(TENANT, id, { serialNumber: 'DMPNEWSERIAL', complianceState: 'noncompliant' });
    const page = await list({ $filter: "serialNumber eq 'DMPNEWSERIAL'", $select: 'id,complianceState' });
    expect(page.json.value).toEqual([{ id, complianceState: 'noncompliant' }]);
    fake.updateDevice(TENANT, id, { serialNumber: 'DMPXK2LQ9A1B' });
  });

  describe('authentication and authorisation', () => {
    it.each([
      ['no token', undefined, 'Access token is empty.'],
      ['a garbage token', 'garbage', /^IDX14100: JWT is not well formed/],
      ['a forged JWT', 'eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.', 'Access token validation failure.'],
    ])('answers %s with 401 InvalidAuthenticationToken', async (_name, bearer, message) => {
      const refused = await graph<ODataError>(fake, bearer, managedDevicesPath());
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer realm=""/);
      expect(refused.json.error.code).toBe('InvalidAuthenticationToken');
      if (typeof message === 'string') expect(refused.json.error.message).toBe(message);
      else expect(refused.json.error.message).toMatch(message);
    });

    it('refuses expired tokens, whether expired on demand or by the clock', async () => {
      const early = await accessToken(fake);
      fake.expireTokens();
      const expired = await graph<ODataError>(fake, early, managedDevicesPath());
      expect(expired.status).toBe(401);
      expect(expired.json.error.message).toBe('Access token has expired or is not yet valid.');
      const late = await accessToken(fake);
      fake.advanceTime(3600_000);
      try {
        expect((await graph(fake, late, managedDevicesPath())).status).toBe(401);
      } finally {
        fake.advanceTime(-3600_000);
      }
      token = await accessToken(fake);
    });

    it('answers 403 Forbidden in Intune’s words once the permission is gone, for tokens already issued', async () => {
      const tenant = fake.addTenant({ domains: ['perms.example.org'] });
      fake.approve(fake.consentUrl({ tenant: tenant.id }));
      const held = await accessToken(fake, tenant.id);
      fake.removePermission(tenant.id, fake.defaultApp.clientId, 'DeviceManagementManagedDevices.Read.All');
      const refused = await graph<ODataError>(fake, held, managedDevicesPath());
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe('Forbidden');
      const intune = JSON.parse(refused.json.error.message) as { Message: string };
      expect(intune.Message).toContain(
        'Application must have one of the following scopes: DeviceManagementManagedDevices.Read.All, DeviceManagementManagedDevices.ReadWrite.All',
      );
      expect(refused.json.error.innerError['request-id']).toBe(refused.headers.get('request-id'));

      fake.grantPermission(tenant.id, fake.defaultApp.clientId, 'DeviceManagementConfiguration.Read.All');
      expect((await graph(fake, held, '/v1.0/deviceManagement/managedDeviceOverview')).status).toBe(200);
      expect((await graph(fake, held, managedDevicesPath())).status).toBe(403);
      fake.grantPermission(
        tenant.id,
        fake.defaultApp.clientId,
        'DeviceManagementManagedDevices.ReadWrite.All',
      );
      expect((await graph(fake, held, managedDevicesPath())).status).toBe(200);
    });

    it('answers a tenant without an Intune licence with 400 "Request not applicable to target tenant."', async () => {
      fake.setLicensed(TENANT, false);
      try {
        const refused = await graph<ODataError>(fake, token, managedDevicesPath());
        expect(refused.status).toBe(400);
        expect(refused.json.error).toMatchObject({
          code: 'BadRequest',
          message: 'Request not applicable to target tenant.',
        });
      } finally {
        fake.setLicensed(TENANT, true);
      }
    });
  });

  describe('routing', () => {
    it.each([
      ['/v1.0/deviceManagement/devices', 400, "Resource not found for the segment 'devices'."],
      ['/v1.0/users', 400, "Resource not found for the segment 'users'."],
      ['/v2.0/deviceManagement/managedDevices', 400, 'Invalid version: v2.0'],
    ])('answers %s with %i', async (path, status, message) => {
      const answer = await graph<ODataError>(fake, token, path);
      expect(answer.status).toBe(status);
      expect(answer.json.error.message).toBe(message);
    });

    it('refuses other methods with 405', async () => {
      const answer = await graph(fake, token, managedDevicesPath(), { method: 'DELETE' });
      expect(answer.status).toBe(405);
    });

    it('serves Graph only under its own base URL, so a client that mixes up its two URLs fails', async () => {
      const response = await fetch(`${fake.loginUrl}/v1.0/deviceManagement/managedDevices`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(404);
      expect(fake.graphUrl).toBe(`${fake.loginUrl}/graph`);
    });
  });
});

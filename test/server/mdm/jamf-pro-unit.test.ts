import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateFleet, parseRsql } from '../../../fakes/jamf-pro/index.ts';
import { ProviderError } from '../../../src/server/errors.ts';
import type { TextResponse } from '../../../src/server/mdm/http/request.ts';
import { classifyJamfFailure, JamfRefusal } from '../../../src/server/mdm/providers/jamf-pro/answers.ts';
import { jamfPro } from '../../../src/server/mdm/providers/jamf-pro/definition.ts';
import { estimates, FULL_LISTING, SERIAL_LOOKUP } from '../../../src/server/mdm/providers/jamf-pro/fetch.ts';
import { devicesOf, inventoryAnswer } from '../../../src/server/mdm/providers/jamf-pro/inventory-page.ts';
import {
  COMPUTERS,
  inventoryUrl,
  MAX_PAGE_SIZE,
  MOBILE_DEVICES,
} from '../../../src/server/mdm/providers/jamf-pro/kinds.ts';
import {
  askableSerials,
  ESTIMATED_SERIALS_PER_LOOKUP,
  lookupEnd,
  MAX_TARGET_BYTES,
  rsqlValue,
  serialFilter,
} from '../../../src/server/mdm/providers/jamf-pro/lookup-chunks.ts';
import { computerDevice, mobileDevice } from '../../../src/server/mdm/providers/jamf-pro/mapping.ts';
import { JamfProSettings } from '../../../src/server/mdm/providers/jamf-pro/settings.ts';
import { type HeldToken, stillGood } from '../../../src/server/mdm/providers/jamf-pro/tokens.ts';

const BASE = 'https://district.jamfcloud.com';
const ON_PREMISES = 'https://jamf.district.org:8443/jamf';

function answer(status: number, body: unknown, headers: Record<string, string> = {}): TextResponse {
  return { status, headers, text: typeof body === 'string' ? body : JSON.stringify(body) };
}

function targetLength(url: string): number {
  const parsed = new URL(url);
  return parsed.pathname.length + parsed.search.length;
}

describe('Jamf Pro planner estimates', () => {
  it('asks both inventories per lookup, and lists only when it knows the fleet, never as a targeted strategy', () => {
    const blind = estimates({ trackedCount: 1_000, fleetSize: null, changed: null });
    expect(blind).toEqual([
      {
        strategy: SERIAL_LOOKUP,
        apiCalls: 2 * Math.ceil(1_000 / ESTIMATED_SERIALS_PER_LOOKUP),
        complete: true,
        targeted: true,
      },
    ]);
    const known = estimates({ trackedCount: 1_000, fleetSize: 4_500, changed: null });
    expect(known.find((option) => option.strategy === FULL_LISTING)).toEqual({
      strategy: FULL_LISTING,
      apiCalls: Math.ceil(4_500 / MAX_PAGE_SIZE) + 1,
      complete: true,
      targeted: false,
    });
    expect(estimates({ trackedCount: 0, fleetSize: 0, changed: null })).toEqual([
      expect.objectContaining({ strategy: SERIAL_LOOKUP, apiCalls: 0 }),
      expect.objectContaining({ strategy: FULL_LISTING, apiCalls: 2 }),
    ]);
  });

  it('never estimates a listing below what reading both inventories takes', () => {
    fc.assert(
      fc.property(fc.nat(50_000), fc.nat(50_000), (computers, mobiles) => {
        const needed =
          Math.max(1, Math.ceil(computers / MAX_PAGE_SIZE)) + Math.max(1, Math.ceil(mobiles / MAX_PAGE_SIZE));
        const listing = estimates({ trackedCount: 0, fleetSize: computers + mobiles, changed: null }).find(
          (option) => option.strategy === FULL_LISTING,
        );
        expect(listing?.apiCalls).toBeGreaterThanOrEqual(needed);
      }),
    );
  });

  it('counts with two calls, one per inventory', () => {
    expect(jamfPro.sync.countCalls).toBe(2);
    expect(jamfPro.sync.incremental).toBe(false);
  });
});

describe('Jamf Pro lookups by serial', () => {
  const serialArb = fc.stringMatching(/^[A-Z0-9]{6,18}$/);

  it('fill each request target up to 6 KB and no further, for both inventories, and chunk the same way every time', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(serialArb, { minLength: 1, maxLength: 2_000 }),
        fc.boolean(),
        (serials, onPremises) => {
          const base = onPremises ? ON_PREMISES : BASE;
          let start = 0;
          while (start < serials.length) {
            const end = lookupEnd(base, serials, start);
            expect(end).toBeGreaterThan(start);
            const chunk = serials.slice(start, end);
            for (const endpoint of [COMPUTERS, MOBILE_DEVICES]) {
              const url = inventoryUrl(base, endpoint, {
                page: 0,
                pageSize: MAX_PAGE_SIZE,
                filter: serialFilter(endpoint, chunk),
              });
              expect(targetLength(url)).toBeLessThanOrEqual(MAX_TARGET_BYTES);
            }
            // Full: one more serial would not have fitted.
            if (end < serials.length) {
              const longer = serials.slice(start, end + 1);
              const longest = Math.max(
                ...[COMPUTERS, MOBILE_DEVICES].map((endpoint) =>
                  targetLength(
                    inventoryUrl(base, endpoint, {
                      page: 999,
                      pageSize: MAX_PAGE_SIZE,
                      filter: serialFilter(endpoint, longer),
                    }),
                  ),
                ),
              );
              expect(longest).toBeGreaterThan(MAX_TARGET_BYTES);
            }
            expect(lookupEnd(base, serials, start)).toBe(end);
            start = end;
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('hold about as many Apple serials as the planner expects', () => {
    const serials = Array.from({ length: 5_000 }, (_, index) => `C02${String(index).padStart(9, '0')}`);
    const end = lookupEnd(BASE, serials, 0);
    expect(end).toBeGreaterThanOrEqual(ESTIMATED_SERIALS_PER_LOOKUP);
  });

  it('name each serial as one RSQL value, quoting what RSQL would read as syntax', () => {
    const odd = ['C02ABC', 'AB,CD', 'A(B)', 'A"B', 'A\\B', 'A;B', 'A=B', "A'B"];
    const tree = parseRsql(serialFilter(COMPUTERS, odd));
    expect(tree).toEqual({
      kind: 'comparison',
      selector: 'hardware.serialNumber',
      operator: '=in=',
      values: odd,
    });
    expect(rsqlValue('C02XK1JGJG5H')).toBe('C02XK1JGJG5H');
  });

  it('leave out serials Jamf would read as a wildcard', () => {
    expect(askableSerials(['ABC', 'A*C', '', 'DEF'])).toEqual(['ABC', 'DEF']);
  });
});

describe('Jamf Pro records as Satchel stores them', () => {
  const fleet = generateFleet({ size: 40, seed: 'mapping', lostMode: 2 });

  it('maps a computer: check-in from lastContactTime, OS from operatingSystem, the boot volume, the user’s email', () => {
    const computer = fleet.computers[0]!;
    const device = computerDevice(computer);
    expect(device).toMatchObject({
      serialKey: computer.hardware?.serialNumber,
      providerDeviceId: `computer:${computer.id}`,
      fields: {
        mdmStatus: 'managed',
        lastCheckInAt: new Date(computer.general?.lastContactTime as string).toISOString(),
        osName: 'macOS',
        osVersion: computer.operatingSystem?.version,
        model: computer.hardware?.model,
        primaryUser: computer.userAndLocation?.email,
        ipAddress: computer.general?.lastIpAddress,
        macAddresses: [computer.hardware?.macAddress, computer.hardware?.altMacAddress].filter(Boolean),
        enrolledAt: new Date(computer.general?.lastEnrolledDate as string).toISOString(),
        supervised: computer.general?.supervised,
        lostMode: null,
      },
      extras: {
        deviceKind: 'computer',
        name: computer.general?.name,
        udid: computer.udid,
        managementId: computer.general?.managementId,
      },
    });
    const boot = computer.storage?.disks?.[0]?.partitions?.find(
      (partition) => partition.partitionType === 'BOOT',
    );
    expect(device?.fields.storageTotalBytes).toBe((boot?.sizeMegabytes as number) * 1_000_000);
    expect(device?.fields.storageFreeBytes).toBe((boot?.availableMegabytes as number) * 1_000_000);
  });

  it('maps a mobile device: check-in from lastInventoryUpdateDate, OS from general, lost mode from security', () => {
    const lostId = fleet.manifest.lostMode[0];
    const ipad = fleet.mobileDevices.find((candidate) => candidate.mobileDeviceId === lostId)!;
    const device = mobileDevice(ipad);
    expect(device).toMatchObject({
      serialKey: ipad.hardware?.serialNumber,
      providerDeviceId: `mobileDevice:${ipad.mobileDeviceId}`,
      fields: {
        lastCheckInAt: new Date(ipad.general?.lastInventoryUpdateDate as string).toISOString(),
        osName: 'iPadOS',
        osVersion: ipad.general?.osVersion,
        model: ipad.hardware?.model,
        primaryUser: ipad.userAndLocation?.emailAddress,
        ipAddress: ipad.general?.ipAddress,
        macAddresses: [ipad.hardware?.wifiMacAddress],
        storageTotalBytes: (ipad.hardware?.capacityMb as number) * 1_000_000,
        storageFreeBytes: (ipad.hardware?.availableSpaceMb as number) * 1_000_000,
        lostMode: true,
        supervised: ipad.general?.supervised,
      },
      extras: {
        deviceKind: 'mobileDevice',
        udid: ipad.general?.udid,
        batteryLevel: ipad.hardware?.batteryLevel,
      },
    });
  });

  it('stores serial keys as Satchel matches them, and leaves out records without a serial or an ID', () => {
    expect(computerDevice({ id: '7', hardware: { serialNumber: ' c02 abc ' } })?.serialKey).toBe('C02ABC');
    expect(computerDevice({ id: '7', hardware: { serialNumber: null } })).toBeNull();
    expect(mobileDevice({ hardware: { serialNumber: 'DMPABC' } })).toBeNull();
    expect(
      mobileDevice({ mobileDeviceId: '3', hardware: { serialNumber: 'DMPABC' }, general: null }),
    ).toMatchObject({ fields: { lastCheckInAt: null, osVersion: null, lostMode: null } });
  });

  it('links to the device’s page in the Jamf Pro console, below an on-premises path too', () => {
    const settings = JamfProSettings.parse({ baseUrl: `${ON_PREMISES}/` });
    expect(jamfPro.consoleUrl?.({ providerDeviceId: 'computer:12', extras: {} }, settings)).toBe(
      `${ON_PREMISES}/computers.html?id=12&o=r`,
    );
    expect(jamfPro.consoleUrl?.({ providerDeviceId: 'mobileDevice:34', extras: {} }, settings)).toBe(
      `${ON_PREMISES}/mobileDevices.html?id=34&o=r`,
    );
    expect(jamfPro.consoleUrl?.({ providerDeviceId: 'something else', extras: {} }, settings)).toBeNull();
  });
});

describe('Jamf Pro inventory pages', () => {
  const results = generateFleet({ size: 6, seed: 'page', ipadShare: 0 }).computers;

  it('reads the total from the head of the answer and the devices only when asked', () => {
    const text = JSON.stringify({ totalCount: 4_321, results });
    const read = inventoryAnswer(COMPUTERS, text);
    expect(read.totalCount).toBe(4_321);
    expect(read.body).toBe(text);
    expect(devicesOf(read).map((device) => device.providerDeviceId)).toEqual(
      results.map((computer) => `computer:${computer.id}`),
    );
  });

  it('reads pretty-printed answers and answers with the total elsewhere', () => {
    const pretty = JSON.stringify({ totalCount: 6, results }, null, 2);
    expect(inventoryAnswer(COMPUTERS, pretty).totalCount).toBe(6);
    const reordered = inventoryAnswer(COMPUTERS, JSON.stringify({ results, totalCount: 6 }));
    expect(reordered.totalCount).toBe(6);
    expect(devicesOf(reordered)).toHaveLength(6);
  });

  it('refuses broken answers as malformed', () => {
    const truncated = JSON.stringify({ totalCount: 6, results }).slice(0, 300);
    expect(() => devicesOf(inventoryAnswer(COMPUTERS, truncated))).toThrow(ProviderError);
    expect(() => inventoryAnswer(MOBILE_DEVICES, '<html>Maintenance</html>')).toThrow(/not valid JSON/);
    expect(() => inventoryAnswer(COMPUTERS, '{"totalCount":"6","results":{"items":[]}}')).toThrow(
      /unexpected shape/,
    );
    expect(() => devicesOf(inventoryAnswer(COMPUTERS, '{"totalCount":1,"results":[7]}'))).toThrow(
      /not an object/,
    );
    try {
      devicesOf(inventoryAnswer(COMPUTERS, truncated));
    } catch (error) {
      expect((error as ProviderError).reason).toBe('malformed');
    }
  });
});

describe('Jamf Pro failures', () => {
  const jamfError = (status: number, code: string) => ({
    httpStatus: status,
    errors: [{ code, description: `${code} happened`, id: '0', field: null }],
  });

  it('retries what Jamf may answer later, honouring Retry-After', () => {
    expect(
      classifyJamfFailure(
        new JamfRefusal(
          answer(503, jamfError(503, 'SERVICE_UNAVAILABLE'), { 'retry-after': '7' }),
          COMPUTERS,
        ),
      ),
    ).toMatchObject({
      kind: 'transient',
      retryAfterMs: 7_000,
    });
    expect(classifyJamfFailure(new JamfRefusal(answer(429, ''), MOBILE_DEVICES))).toMatchObject({
      kind: 'rate_limited',
    });
    expect(
      classifyJamfFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })),
    ).toMatchObject({
      kind: 'transient',
    });
    expect(
      classifyJamfFailure(Object.assign(new Error('timed out'), { name: 'TimeoutError' })),
    ).toMatchObject({
      kind: 'transient',
    });
  });

  it('takes a refused client or a missing privilege as the grant gone, naming the privilege', () => {
    expect(
      classifyJamfFailure(new JamfRefusal(answer(401, { error: 'invalid_client' }), 'token')),
    ).toMatchObject({
      kind: 'auth_revoked',
      details: { code: 'invalid_client' },
    });
    expect(
      classifyJamfFailure(new JamfRefusal(answer(403, jamfError(403, 'INVALID_PRIVILEGE')), MOBILE_DEVICES)),
    ).toMatchObject({
      kind: 'auth_revoked',
      message: expect.stringContaining('“Read Mobile Devices”'),
      details: { privilege: 'Read Mobile Devices' },
    });
    expect(
      classifyJamfFailure(new JamfRefusal(answer(401, jamfError(401, 'INVALID_TOKEN')), COMPUTERS)),
    ).toMatchObject({
      kind: 'auth_revoked',
    });
  });

  it('fails at once on what retrying cannot mend, saying what Jamf said', () => {
    expect(
      classifyJamfFailure(new JamfRefusal(answer(404, '<html>Not found</html>'), 'token')),
    ).toMatchObject({
      kind: 'fatal',
      message: expect.stringMatching(/token endpoint.*check the Jamf Pro URL/),
    });
    expect(
      classifyJamfFailure(new JamfRefusal(answer(400, jamfError(400, 'INVALID_RSQL_FILTER')), COMPUTERS)),
    ).toMatchObject({ kind: 'fatal', message: expect.stringContaining('INVALID_RSQL_FILTER') });
    expect(classifyJamfFailure({ type: 'max-size' })).toMatchObject({ kind: 'malformed' });
  });
});

describe('Jamf Pro settings', () => {
  it('store the URL without trailing slashes, and require one', () => {
    expect(JamfProSettings.parse({ baseUrl: ' https://district.jamfcloud.com/// ' })).toMatchObject({
      baseUrl: 'https://district.jamfcloud.com',
      authMethod: 'client_credentials',
      requestScope: 'tracked_only',
    });
    expect(JamfProSettings.safeParse({}).success).toBe(false);
  });

  it('count requests per server: its origin and path', () => {
    const instance = (baseUrl: string) =>
      jamfPro.rateLimit.kind === 'concurrency' ? jamfPro.rateLimit.instance({ baseUrl }) : null;
    expect(jamfPro.rateLimit).toMatchObject({ kind: 'concurrency', max: 5 });
    expect(instance('https://District.jamfcloud.com')).toBe('https://district.jamfcloud.com');
    expect(instance(ON_PREMISES)).toBe(ON_PREMISES);
    expect(instance('https://jamf.district.org:8443/other')).not.toBe(instance(ON_PREMISES));
  });
});

describe('Jamf Pro tokens', () => {
  const now = Date.parse('2026-11-20T12:00:00Z');
  const token = (lifetimeMs: number, leftMs: number): HeldToken => ({
    instance: BASE,
    clientId: 'client',
    tokenPath: '/api/oauth/token',
    accessToken: 'token',
    expiresAt: now + leftMs,
    lifetimeMs,
  });

  it('are renewed before they run out: a quarter of their lifetime early, at least 5 s and at most a minute', () => {
    expect(stillGood(token(1_800_000, 61_000), now)).toBe(true);
    expect(stillGood(token(1_800_000, 59_000), now)).toBe(false);
    expect(stillGood(token(60_000, 16_000), now)).toBe(true);
    expect(stillGood(token(60_000, 14_000), now)).toBe(false);
    expect(stillGood(token(8_000, 6_000), now)).toBe(true);
    expect(stillGood(token(8_000, 4_000), now)).toBe(false);
  });
});

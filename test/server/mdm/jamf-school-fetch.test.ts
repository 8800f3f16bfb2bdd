import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeJamfSchool,
  generateFleetDetailed,
  startFakeJamfSchool,
} from '../../../fakes/jamf-school/index.ts';
import { serialKey } from '../../../src/common/inventory.ts';
import { loadConfig } from '../../../src/server/config.ts';
import { ProviderError } from '../../../src/server/errors.ts';
import type { FetchedPage, SyncRequest } from '../../../src/server/mdm/provider.ts';
import { JamfSchoolRefusal } from '../../../src/server/mdm/providers/jamf-school/client.ts';
import { classifyJamfSchoolFailure } from '../../../src/server/mdm/providers/jamf-school/failures.ts';
import { fetchPage } from '../../../src/server/mdm/providers/jamf-school/fetch.ts';
import { JamfSchoolSettings } from '../../../src/server/mdm/providers/jamf-school/settings.ts';
import { silentLog } from '../../setup/app.ts';

const deps = {
  config: loadConfig({
    NODE_ENV: 'test',
    SATCHEL_DATA_DIR: '/nonexistent',
    SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS: 'true',
  }),
  log: silentLog,
};

let fake: FakeJamfSchool;
let inventory: string[];
let fleet: ReturnType<typeof generateFleetDetailed>;

beforeAll(async () => {
  inventory = Array.from({ length: 30 }, (_, i) => `INV${String(i).padStart(5, '0')}XYZ`);
  fleet = generateFleetDetailed({
    size: 2_500,
    seed: 'fetch',
    serials: inventory,
    caseVariants: 6,
    trashed: 25,
    junk: 4,
    duplicatesOf: inventory.slice(0, 2),
  });
  fake = await startFakeJamfSchool({ devices: fleet.devices });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.resetFaults();
  fake.paging = 'none';
  fake.maxDevicesPerResponse = undefined;
  fake.serialCaseSensitive = false;
});

function request(strategy: string, cursor: string | null, trackedSerialKeys: string[] = []): SyncRequest {
  return {
    secret: JSON.stringify({ networkId: fake.networkId, apiKey: fake.apiKey }),
    settings: JamfSchoolSettings.parse({ baseUrl: fake.url, requestScope: 'fewest_calls' }),
    strategy,
    changedSince: null,
    trackedSerialKeys,
    cursor,
    signal: AbortSignal.timeout(30_000),
  };
}

/** Every page of a pass, from its start to its end (or a fallback). */
async function walk(strategy: string, tracked: string[] = []): Promise<FetchedPage[]> {
  const pages: FetchedPage[] = [];
  let cursor: string | null = null;
  do {
    const page = await fetchPage(deps, request(strategy, cursor, tracked));
    pages.push(page);
    if (page.fallback) break;
    cursor = page.cursor;
  } while (cursor !== null);
  return pages;
}

const liveDevices = () => fleet.devices.filter((device) => !device.inTrash && serialKey(device.serialNumber));
const trackedKeys = () => [...inventory].sort();

describe('Jamf School lookups', () => {
  it('asks for one tracked serial per request, five to a page, with the protocol header, and keeps exact matches', async () => {
    const mark = fake.mark();
    const pages = await walk('serial_lookup', trackedKeys());
    const requests = fake.requestsSince(mark);
    expect(pages).toHaveLength(6);
    expect(pages.map((page) => page.cursor)).toEqual(['5', '10', '15', '20', '25', null]);
    expect(pages.reduce((sum, page) => sum + page.apiCalls, 0)).toBe(30);
    expect(requests).toHaveLength(30);
    expect(requests.every((entry) => entry.operation === 'devices.lookup' && !entry.listing)).toBe(true);
    expect(
      requests.every((entry) => entry.protocolVersion === '3' && entry.networkId === fake.networkId),
    ).toBe(true);
    expect(requests.flatMap((entry) => entry.serials).sort()).toEqual(trackedKeys());
    const found = pages.flatMap((page) => page.devices);
    expect(found.every((device) => inventory.includes(device.serialKey))).toBe(true);
    // Stored padded with spaces, a serial is never found; in lower case only where Jamf School ignores case.
    const padded = Object.entries(fleet.manifest.variants).filter(([, stored]) => /\s/.test(stored));
    const lowered = Object.entries(fleet.manifest.variants).filter(([, stored]) => !/\s/.test(stored));
    expect(padded.length).toBeGreaterThan(0);
    expect(lowered.length).toBeGreaterThan(0);
    const foundKeys = new Set(found.map((device) => device.serialKey));
    for (const [serial] of padded) expect(foundKeys.has(serial)).toBe(false);
    for (const [serial] of lowered) expect(foundKeys.has(serial)).toBe(true);
    expect(foundKeys.size).toBe(inventory.length - padded.length);
    // A re-enrolled serial comes back with both of its records.
    expect(found.filter((device) => device.serialKey === inventory[0])).toHaveLength(2);
  });

  it('misses a serial stored in lower case where Jamf School compares case exactly', async () => {
    fake.serialCaseSensitive = true;
    const lowered = Object.entries(fleet.manifest.variants).find(([, stored]) => !/\s/.test(stored));
    const serial = (lowered as [string, string])[0];
    const [page] = await walk('serial_lookup', [serial]);
    expect(page?.devices).toEqual([]);
    expect(page?.cursor).toBeNull();
  });

  it('fails the page on a malformed answer, and asks for nothing when no device is tracked', async () => {
    fake.malformedNext(1, 'wrong-shape');
    await expect(walk('serial_lookup', trackedKeys())).rejects.toMatchObject({ reason: 'malformed' });
    const mark = fake.mark();
    expect(await walk('serial_lookup', [])).toEqual([{ devices: [], cursor: null, apiCalls: 0, retries: 0 }]);
    expect(fake.requestsSince(mark)).toEqual([]);
  });
});

describe('the Jamf School listing', () => {
  it('takes the whole fleet from one answer where Jamf School does not page', async () => {
    const mark = fake.mark();
    const pages = await walk('full_listing');
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ cursor: null, apiCalls: 1, retries: 0 });
    expect(fake.requestsSince(mark)[0]).toMatchObject({ listing: true, query: { page: '1', limit: '1000' } });
    expect(pages[0]?.devices.map((device) => device.providerDeviceId).sort()).toEqual(
      liveDevices()
        .map((device) => device.UDID)
        .sort(),
    );
  });

  it('walks the pages where Jamf School pages, seeing each device once', async () => {
    fake.paging = 'page-param';
    const pages = await walk('full_listing');
    expect(pages.map((page) => page.nextPosition ?? null)).toEqual(['2', '3', null]);
    const udids = pages.flatMap((page) => page.devices.map((device) => device.providerDeviceId));
    expect(new Set(udids).size).toBe(udids.length);
    expect(udids.sort()).toEqual(
      liveDevices()
        .map((device) => device.UDID)
        .sort(),
    );
  });

  it('falls back to lookups when Jamf School cuts its answer short and does not page', async () => {
    fake.maxDevicesPerResponse = 500;
    const pages = await walk('full_listing');
    expect(pages).toHaveLength(2);
    expect(pages[0]?.devices.length).toBeGreaterThan(0);
    expect(pages[1]).toMatchObject({
      devices: [],
      cursor: null,
      fallback: { strategy: 'serial_lookup', reason: expect.stringMatching(/500 of the \d+ devices/) },
    });
  });

  it('falls back to lookups when the pages end before the count does', async () => {
    fake.paging = 'page-param';
    fake.maxDevicesPerResponse = 300;
    const pages = await walk('full_listing');
    expect(pages.at(-1)?.fallback).toMatchObject({
      strategy: 'serial_lookup',
      reason: expect.stringMatching(/ended after 900 of the \d+ devices/),
    });
  });

  it('fails on a page that repeats the page before it', async () => {
    fake.paging = 'page-param';
    fake.malformedNext(1, 'repeat-page', { after: 2 });
    await expect(walk('full_listing')).rejects.toMatchObject({
      reason: 'malformed',
      message: expect.stringMatching(/page 3 .* page 2/),
    });
  });

  it('fails on an answer that is not a device list', async () => {
    for (const kind of ['truncated', 'html', 'wrong-shape'] as const) {
      fake.malformedNext(1, kind);
      await expect(walk('full_listing'), kind).rejects.toBeInstanceOf(ProviderError);
    }
  });
});

describe('Jamf School failures', () => {
  const refusal = (status: number, headers: Record<string, string> = {}, text = '') =>
    classifyJamfSchoolFailure(new JamfSchoolRefusal({ status, headers, text }));

  it('says what each refusal means', () => {
    expect(refusal(401, {}, '{"code":401,"message":"Unauthorized"}')).toMatchObject({ kind: 'auth_revoked' });
    expect(
      refusal(
        405,
        {},
        '{"error":{"code":405,"message":"Requested method (GET) not allowed using this API key"}}',
      ),
    ).toMatchObject({ kind: 'auth_revoked', message: expect.stringMatching(/read access to devices/) });
    expect(refusal(429, { 'retry-after': '7' })).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 });
    expect(refusal(429)).toMatchObject({ kind: 'rate_limited', retryAfterMs: undefined });
    expect(refusal(503, { 'retry-after': '2' })).toMatchObject({ kind: 'transient', retryAfterMs: 2000 });
    expect(refusal(404, {}, '{"code":404,"message":"Not Found"}')).toMatchObject({
      kind: 'fatal',
      message: expect.stringMatching(/404 \(Not Found\).*check the Jamf School address/),
    });
    expect(refusal(400, {}, '<html>')).toMatchObject({ kind: 'fatal', message: 'Jamf School answered 400' });
  });

  it('retries a dropped connection and refuses an oversized or broken answer', () => {
    expect(
      classifyJamfSchoolFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    ).toMatchObject({ kind: 'transient' });
    expect(classifyJamfSchoolFailure({ type: 'max-size' })).toMatchObject({ kind: 'malformed' });
    expect(classifyJamfSchoolFailure(new SyntaxError('The response is not valid gzip'))).toMatchObject({
      kind: 'malformed',
    });
  });

  it('classifies a revoked key and a removed right during a pass as a lost authorization', async () => {
    fake.failNext(1, 401);
    await expect(walk('full_listing')).rejects.toMatchObject({ reason: 'auth_revoked' });
    fake.failNext(1, 405);
    await expect(walk('serial_lookup', trackedKeys())).rejects.toMatchObject({
      reason: 'auth_revoked',
      message: expect.stringMatching(/read access to devices/),
    });
  });
});

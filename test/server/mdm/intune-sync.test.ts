import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeIntune,
  type FakeManagedDeviceInput,
  GRAPH_DEFAULT_SCOPE,
  generateFleet,
} from '../../../fakes/intune/index.ts';
import { loadConfig } from '../../../src/server/config.ts';
import { ProviderError } from '../../../src/server/errors.ts';
import type { ProviderDeps, SyncRequest } from '../../../src/server/mdm/provider.ts';
import { DEVICE_SELECT } from '../../../src/server/mdm/providers/intune/mapping.ts';
import { DEVICE_READ_PERMISSION, IntuneSettings } from '../../../src/server/mdm/providers/intune/settings.ts';
import { authorize, countDevices, fetchPage } from '../../../src/server/mdm/providers/intune/sync.ts';
import { silentLog } from '../../setup/app.ts';
import { startIntuneForTests } from '../../setup/intune.ts';

let fake: FakeIntune;
let deps: ProviderDeps;

beforeAll(async () => {
  const started = await startIntuneForTests();
  fake = started.fake;
  deps = {
    config: loadConfig({ NODE_ENV: 'test', SATCHEL_DATA_DIR: '/nonexistent', ...started.environment }),
    log: silentLog,
  };
});
afterEach(() => {
  fake.resetFaults();
});
afterAll(async () => {
  await fake?.close();
});

interface Tenant {
  domain: string;
  clientId: string;
  secret: string;
  settings: IntuneSettings;
}

let tenants = 0;

/** A district tenant holding `devices`, with an app registration of its own (client secret) that may read them. */
function tenantWith(devices: FakeManagedDeviceInput[]): Tenant {
  const domain = `sync${++tenants}.example.org`;
  const { id } = fake.addTenant({ domains: [domain] });
  fake.setFleet(domain, devices);
  const clientId = randomUUID();
  const clientSecret = `secret-${tenants}-${randomUUID()}`;
  fake.addApp(domain, { clientId, secret: clientSecret, permissions: [DEVICE_READ_PERMISSION] });
  const stored = { kind: 'client_secret', tenantId: id, tenantEntered: domain, clientId, clientSecret };
  return {
    domain,
    clientId,
    secret: JSON.stringify(stored),
    settings: IntuneSettings.parse({ tenantId: domain }),
  };
}

function request(
  tenant: Tenant,
  strategy: string,
  cursor: string | null,
  trackedSerialKeys: string[] = [],
): SyncRequest {
  return {
    secret: tenant.secret,
    settings: tenant.settings,
    strategy,
    changedSince: null,
    trackedSerialKeys,
    cursor,
    signal: new AbortController().signal,
  };
}

const serials = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(5, '0')}`);

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('Intune lookups by serial', () => {
  it('looks 20 serials up per $batch, matches Graph’s answers by id whatever their order, and resumes from the cursor', async () => {
    const known = serials('PF3', 40);
    const tenant = tenantWith(generateFleet({ size: 55, serials: known, junk: 15, seed: 11 }));
    const tracked = [...serials('PF3', 45)].sort();
    const mark = fake.mark();
    const first = await fetchPage(deps, request(tenant, 'batch_lookup', null, tracked));
    expect(first).toMatchObject({ cursor: '20', apiCalls: 20, retries: 0 });
    expect(first.devices.map((device) => device.serialKey).sort()).toEqual(tracked.slice(0, 20));
    const second = await fetchPage(deps, request(tenant, 'batch_lookup', first.cursor, tracked));
    expect(second.cursor).toBe('40');
    expect(second.devices.map((device) => device.serialKey).sort()).toEqual(tracked.slice(20, 40));
    const last = await fetchPage(deps, request(tenant, 'batch_lookup', second.cursor, tracked));
    expect(last).toMatchObject({ cursor: null, apiCalls: 5, devices: [] });
    expect(last.fallback).toBeUndefined();

    const inner = fake.requestsSince(mark).filter((entry) => entry.inner);
    expect(inner).toHaveLength(45);
    expect(inner.flatMap((entry) => entry.serials).sort()).toEqual(tracked);
    expect(inner.every((entry) => entry.filterHonoured && !entry.listing)).toBe(true);
    expect(inner[0]?.query).toMatchObject({ $select: DEVICE_SELECT, $top: '6' });
    expect(fake.requestsSince(mark).filter((entry) => entry.kind === 'token')).toHaveLength(1);
  });

  it('finds a serial Intune stores in lower case, and keeps nothing but exact serial keys', async () => {
    const tenant = tenantWith([
      { serialNumber: 'pf3low01', lastSyncDateTime: '2026-01-02T03:04:05Z' },
      { serialNumber: 'PF3LOW02X', lastSyncDateTime: '2026-01-02T03:04:05Z' },
    ]);
    const page = await fetchPage(deps, request(tenant, 'batch_lookup', null, ['PF3LOW01', 'PF3LOW02']));
    expect(page.devices.map((device) => device.serialKey)).toEqual(['PF3LOW01']);
    expect(page.fallback).toBeUndefined();
  });

  it('sends again only the lookups Graph throttled, once their Retry-After has passed, counting each request', async () => {
    const known = serials('RT', 20);
    const tenant = tenantWith(generateFleet({ size: 20, serials: known, seed: 12 }));
    fake.batchOrder = 'request';
    fake.failNext(2, 429, { target: 'batch-item', retryAfter: 1 });
    const mark = fake.mark();
    const started = performance.now();
    try {
      const page = await fetchPage(deps, request(tenant, 'batch_lookup', null, known));
      expect(page).toMatchObject({ apiCalls: 22, retries: 1, cursor: null });
      expect(page.devices).toHaveLength(20);
    } finally {
      fake.batchOrder = 'shuffled';
    }
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    const inner = fake.requestsSince(mark).filter((entry) => entry.inner);
    const batches = [...new Set(inner.map((entry) => entry.batchSeq))];
    expect(batches).toHaveLength(2);
    expect(
      inner
        .filter((entry) => entry.batchSeq === batches[0])
        .map((entry) => entry.status)
        .sort(),
    ).toEqual([...Array(18).fill(200), 429, 429]);
    expect(inner.filter((entry) => entry.batchSeq === batches[1]).map((entry) => entry.status)).toEqual([
      200, 200,
    ]);
  });

  it('retries a whole batch Graph could not run, and a batch whose token expired with a new token', async () => {
    const known = serials('WB', 5);
    const tenant = tenantWith(generateFleet({ size: 5, serials: known, seed: 13 }));
    await fetchPage(deps, request(tenant, 'batch_lookup', null, known));
    fake.expireTokens();
    fake.failNext(1, 503, { target: 'api' });
    const mark = fake.mark();
    const page = await fetchPage(deps, request(tenant, 'batch_lookup', null, known));
    expect(page.devices).toHaveLength(5);
    expect(
      fake
        .requestsSince(mark)
        .filter((entry) => !entry.inner)
        .map((entry) => `${entry.kind} ${entry.status}`),
    ).toEqual(['batch 503', 'batch 401', 'token 200', 'batch 200']);
    expect(page).toMatchObject({ retries: 1, apiCalls: 1 + 1 + 5 });
  });

  it('says the filter failed when Graph ignores it, reading a handful of devices per lookup, not the fleet', async () => {
    const known = serials('IG', 3);
    const tenant = tenantWith(generateFleet({ size: 300, serials: known, junk: 297, seed: 14 }));
    fake.filterSupport = 'ignored';
    const mark = fake.mark();
    const page = await fetchPage(deps, request(tenant, 'batch_lookup', null, known));
    expect(page.fallback).toEqual({
      strategy: 'full_listing',
      reason: expect.stringMatching(/ignored the serial-number filter/),
    });
    const inner = fake.requestsSince(mark).filter((entry) => entry.inner);
    expect(inner.every((entry) => (entry.resultCount ?? 0) <= 6)).toBe(true);
    expect(page.devices.every((device) => known.includes(device.serialKey))).toBe(true);
  });

  it('calls an inner answer of the wrong shape malformed', async () => {
    const tenant = tenantWith(generateFleet({ size: 3, serials: ['MF001'], seed: 15 }));
    fake.malformedNext(1, 'truncated', { target: 'batch-item' });
    const error = await rejection(fetchPage(deps, request(tenant, 'batch_lookup', null, ['MF001'])));
    expect(error.reason).toBe('malformed');
  });

  it('asks for a new authorization once the app is taken out of the tenant', async () => {
    const tenant = tenantWith(generateFleet({ size: 3, serials: ['RV001'], seed: 16 }));
    await fetchPage(deps, request(tenant, 'batch_lookup', null, ['RV001']));
    fake.revokeApp(tenant.domain, tenant.clientId);
    const error = await rejection(fetchPage(deps, request(tenant, 'batch_lookup', null, ['RV001'])));
    expect(error).toMatchObject({ reason: 'auth_revoked', message: expect.stringMatching(/AADSTS700016/) });
  });

  it('sends nothing when the settings now name another tenant than the one authorized', async () => {
    const tenant = tenantWith([]);
    const mark = fake.mark();
    const moved = { ...tenant, settings: IntuneSettings.parse({ tenantId: 'elsewhere.example.org' }) };
    const error = await rejection(fetchPage(deps, request(moved, 'batch_lookup', null, ['X1'])));
    expect(error).toMatchObject({
      reason: 'auth_revoked',
      message: expect.stringMatching(/authorize again/),
    });
    expect(fake.requestsSince(mark)).toEqual([]);
  });
});

describe('Intune full listing', () => {
  it('lists every managed device with $select, following @odata.nextLink verbatim, 1,000 to a page', async () => {
    const tenant = tenantWith(generateFleet({ size: 2_345, seed: 21 }));
    const mark = fake.mark();
    const pages = [];
    let cursor: string | null = null;
    do {
      const page = await fetchPage(deps, request(tenant, 'full_listing', cursor));
      pages.push(page);
      cursor = page.cursor;
    } while (cursor !== null);
    expect(pages.map((page) => page.devices.length)).toEqual([1000, 1000, 345]);
    expect(pages.map((page) => page.apiCalls)).toEqual([1, 1, 1]);
    const listed = fake.requestsSince(mark).filter((entry) => entry.kind === 'api');
    expect(listed.map((entry) => entry.query.$select)).toEqual([DEVICE_SELECT, DEVICE_SELECT, DEVICE_SELECT]);
    expect(listed[1]?.query.$skiptoken).toBeDefined();
    expect(pages[0]?.cursor).toContain(fake.graphUrl);
  });

  it('never sends the token to a next-page link outside Graph’s device list', async () => {
    const tenant = tenantWith(generateFleet({ size: 2, seed: 22 }));
    const mark = fake.mark();
    for (const cursor of [
      'https://elsewhere.example.com/graph/v1.0/deviceManagement/managedDevices?$skiptoken=x',
      `${fake.graphUrl}/v1.0/users?$skiptoken=x`,
      'not a url',
    ]) {
      const error = await rejection(fetchPage(deps, request(tenant, 'full_listing', cursor)));
      expect(error.reason).toBe('malformed');
    }
    expect(fake.requestsSince(mark)).toEqual([]);
    // Graph's paths are not case-sensitive (the fake's are): a link in another case still goes out.
    const respelled = `${fake.graphUrl}/v1.0/devicemanagement/manageddevices?$select=id`;
    await fetchPage(deps, request(tenant, 'full_listing', respelled)).catch(() => undefined);
    const sent = fake.requestsSince(mark).filter((entry) => entry.kind === 'api');
    expect(sent.map((entry) => entry.path)).toEqual(['/v1.0/devicemanagement/manageddevices']);
  });

  it('calls a page of the wrong shape or cut short malformed', async () => {
    const tenant = tenantWith(generateFleet({ size: 2, seed: 23 }));
    for (const kind of ['wrong-shape', 'truncated', 'html'] as const) {
      fake.malformedNext(1, kind, { target: 'api' });
      const error = await rejection(fetchPage(deps, request(tenant, 'full_listing', null)));
      expect(error.reason, kind).toBe('malformed');
    }
  });

  it('says a tenant that lost its Intune licence is refused as such', async () => {
    const tenant = tenantWith(generateFleet({ size: 2, seed: 24 }));
    fake.setLicensed(tenant.domain, false);
    const error = await rejection(fetchPage(deps, request(tenant, 'full_listing', null)));
    expect(error).toMatchObject({ reason: 'unavailable', message: expect.stringMatching(/Intune licence/) });
  });
});

describe('Intune counts and tokens', () => {
  it('counts the fleet with the device overview, reading no device', async () => {
    const tenant = tenantWith(generateFleet({ size: 1_234, seed: 31 }));
    const mark = fake.mark();
    expect(await countDevices(deps, tenant.secret, tenant.settings)).toBe(1_234);
    const api = fake.requestsSince(mark).filter((entry) => entry.kind === 'api');
    expect(api.map((entry) => entry.operation)).toEqual(['managedDeviceOverview.get']);
    expect(api[0]?.listing).toBe(false);
  });

  it('asks Entra for Graph’s own scope whatever address Graph is reached at, and keeps the token between runs', async () => {
    const tenant = tenantWith([]);
    const mark = fake.mark();
    const kept = JSON.parse(
      await authorize(deps, tenant.secret, tenant.settings, new AbortController().signal, null),
    );
    expect(kept).toEqual({ accessToken: expect.any(String), expiresAt: expect.any(Number) });
    expect(kept.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    await authorize(deps, tenant.secret, tenant.settings, new AbortController().signal, JSON.stringify(kept));
    const tokens = fake.requestsSince(mark).filter((entry) => entry.kind === 'token');
    expect(tokens).toHaveLength(1);
    // The fake refuses any scope but Graph's own `.default`, and Graph is reached at the fake's address here.
    expect(fake.graphUrl.startsWith(new URL(GRAPH_DEFAULT_SCOPE).origin)).toBe(false);
    expect(tokens[0]).toMatchObject({ status: 200, clientAuth: 'secret' });
  });

  it('uses a token another process obtained while it is good, and asks for a new one once it is spent', async () => {
    const tenant = tenantWith(generateFleet({ size: 1, serials: ['TK001'], seed: 32 }));
    const other = tenantWith([]);
    const borrowed = JSON.parse(
      await authorize(deps, other.secret, other.settings, new AbortController().signal, null),
    );
    const mark = fake.mark();
    await authorize(
      deps,
      tenant.secret,
      tenant.settings,
      new AbortController().signal,
      JSON.stringify(borrowed),
    );
    expect(fake.requestsSince(mark).filter((entry) => entry.kind === 'token')).toEqual([]);
    const spent = { ...borrowed, accessToken: 'spent', expiresAt: Date.now() + 60_000 };
    const fresh = tenantWith([]);
    await authorize(deps, fresh.secret, fresh.settings, new AbortController().signal, JSON.stringify(spent));
    expect(fake.requestsSince(mark).filter((entry) => entry.kind === 'token')).toHaveLength(1);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_THROTTLE,
  type FakeIntune,
  generateFleet,
  startFakeIntune,
} from '../../fakes/intune/index.ts';
import {
  accessToken,
  type DevicePage,
  graph,
  managedDevicesPath,
  type ODataError,
  postToken,
  secretForm,
} from './intune-helpers.ts';

const SECOND_APP = {
  clientId: '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8',
  secret: 'second',
  permissions: ['DeviceManagementManagedDevices.Read.All'],
};

describe('fake Intune: throttling, fault injection and control routes', () => {
  let fake: FakeIntune;
  let token: string;

  beforeAll(async () => {
    fake = await startFakeIntune({
      tenants: [{ domains: ['neighbour.example.org'] }],
      apps: [{ ...SECOND_APP, tenant: 'district.example.org' }],
      fleets: {
        'district.example.org': generateFleet({ size: 40, seed: 'faults' }),
        'neighbour.example.org': generateFleet({ size: 5, seed: 'neighbour' }),
      },
    });
    fake.approve(fake.consentUrl({ tenant: 'neighbour.example.org' }));
    token = await accessToken(fake);
  });
  afterEach(() => {
    fake.resetFaults();
    fake.setThrottle(DEFAULT_THROTTLE);
  });
  afterAll(async () => {
    await fake.close();
  });

  const list = (bearer = token, query: Record<string, string> = { $top: '5' }) =>
    graph<DevicePage & ODataError>(fake, bearer, managedDevicesPath(query));

  describe('throttling per app per tenant', () => {
    it('answers 429 TooManyRequests with Retry-After once the window is full, and lets requests through after it', async () => {
      fake.setThrottle({ perAppLimit: 3, windowMs: 20_000 });
      for (let i = 0; i < 3; i++) expect((await list()).status).toBe(200);
      const mark = fake.mark();
      const throttled = await list();
      expect(throttled.status).toBe(429);
      expect(throttled.json.error.code).toBe('TooManyRequests');
      const retryAfter = Number(throttled.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(20);
      expect(fake.requestsSince(mark)[0]).toMatchObject({
        status: 429,
        injected: 'quota',
        error: 'TooManyRequests',
      });
      fake.advanceTime(retryAfter * 1000);
      expect((await list()).status).toBe(200);
    });

    it('can leave Retry-After out and use activityLimitReached', async () => {
      fake.setThrottle({ perAppLimit: 1, retryAfter: false, code: 'activityLimitReached' });
      await list();
      const throttled = await list();
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBeNull();
      expect(throttled.json.error.code).toBe('activityLimitReached');
    });

    it('counts each app and tenant apart, and all apps of a tenant together', async () => {
      fake.setThrottle({ perAppLimit: 2, perTenantLimit: 3 });
      const second = await accessToken(fake, 'district.example.org', {
        clientId: SECOND_APP.clientId,
        secret: SECOND_APP.secret,
      });
      const neighbour = await accessToken(fake, 'neighbour.example.org');
      expect([(await list()).status, (await list()).status, (await list()).status]).toEqual([200, 200, 429]);
      expect((await list(second)).status).toBe(200);
      expect((await list(second)).status).toBe(429);
      expect((await list(neighbour)).status).toBe(200);
    });
  });

  describe('failNext', () => {
    it('fails the next API request with the status’s OData body, Retry-After 1 on 429 by default', async () => {
      fake.failNext(1, 429);
      const failed = await list();
      expect(failed.status).toBe(429);
      expect(failed.headers.get('retry-after')).toBe('1');
      expect(failed.json.error.code).toBe('TooManyRequests');
      expect((await list()).status).toBe(200);
    });

    it('can omit Retry-After, as some Intune endpoints do', async () => {
      fake.failNext(1, 429, { retryAfter: null });
      const failed = await list();
      expect(failed.status).toBe(429);
      expect(failed.headers.get('retry-after')).toBeNull();
    });

    it('fails with 503 ServiceUnavailable by default, Retry-After only when asked', async () => {
      fake.failNext(2);
      const plain = await list();
      expect(plain.status).toBe(503);
      expect(plain.json.error.code).toBe('ServiceUnavailable');
      expect(plain.headers.get('retry-after')).toBeNull();
      expect((await list()).status).toBe(503);
      fake.failNext(1, 503, { retryAfter: 30 });
      expect((await list()).headers.get('retry-after')).toBe('30');
    });

    it('still logs what a refused listing asked for', async () => {
      fake.failNext(2, 503);
      const mark = fake.mark();
      await list(token, { $filter: "serialNumber eq 'PFREFUSED'" });
      await list(token, { $select: 'id' });
      expect(fake.requestsSince(mark)).toMatchObject([
        { status: 503, injected: 'fail', serials: ['PFREFUSED'], listing: false, filterHonoured: true },
        { status: 503, injected: 'fail', serials: [], listing: true, filterHonoured: false },
      ]);
    });

    it('targets any request with "any", logged as injected', async () => {
      fake.failNext(2, 500, { target: 'any' });
      const mark = fake.mark();
      expect((await postToken(fake, fake.defaultTenant.id, secretForm(fake))).status).toBe(500);
      expect((await list()).status).toBe(500);
      expect(fake.requestsSince(mark).map((e) => [e.kind, e.injected])).toEqual([
        ['token', 'fail'],
        ['api', 'fail'],
      ]);
    });
  });

  describe('malformedNext', () => {
    it('cuts a body short', async () => {
      fake.malformedNext(1, 'truncated');
      const response = await fetch(`${fake.graphUrl}${managedDevicesPath()}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(() => JSON.parse(text)).toThrow();
    });

    it('answers an HTML page instead of JSON', async () => {
      fake.malformedNext(1, 'html');
      const response = await fetch(`${fake.graphUrl}${managedDevicesPath()}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toMatch(/^<!DOCTYPE html>/);
    });

    it('answers another shape', async () => {
      fake.malformedNext(1, 'wrong-shape');
      const page = await list();
      expect(Array.isArray(page.json.value)).toBe(false);
    });

    it('links a page back to itself after the given number of good answers', async () => {
      fake.malformedNext(1, 'repeat-page', { after: 1 });
      const first = await list();
      const second = await graph<DevicePage>(fake, token, first.json['@odata.nextLink']!);
      const again = await graph<DevicePage>(fake, token, second.json['@odata.nextLink']!);
      expect(again.json.value.map((d) => d.id)).toEqual(second.json.value.map((d) => d.id));
    });
  });

  it('waits latencyMs before answering', async () => {
    fake.latencyMs = 120;
    const started = performance.now();
    await list();
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  describe('control routes', () => {
    const control = async (name: string, body?: unknown) => {
      const response = await fetch(`${fake.url}/__fake/${name}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };

    it('mirrors fault injection, latency and the request log', async () => {
      await control('clear-log', {});
      await control('fail-next', { n: 1, status: 429, retryAfter: null });
      const failed = await list();
      expect(failed.status).toBe(429);
      expect(failed.headers.get('retry-after')).toBeNull();
      await control('malformed-next', { n: 1, kind: 'html' });
      expect(
        (
          await fetch(`${fake.graphUrl}${managedDevicesPath()}`, {
            headers: { Authorization: `Bearer ${token}` },
          })
        ).headers.get('content-type'),
      ).toMatch(/html/);
      const { json } = await control('requests');
      expect((json.requests as { status: number }[]).map((e) => e.status)).toEqual([429, 200]);
      await control('latency', { ms: 50 });
      expect(fake.latencyMs).toBe(50);
      await control('reset-faults', {});
      expect(fake.latencyMs).toBe(0);
    });

    it('sets, generates and updates fleets', async () => {
      await control('set-fleet', {
        tenant: 'neighbour.example.org',
        devices: [{ serialNumber: 'ONE' }, { serialNumber: 'TWO' }],
      });
      expect(fake.devices('neighbour.example.org').map((d) => d.serialNumber)).toEqual(['ONE', 'TWO']);
      const id = fake.devices('neighbour.example.org')[0]!.id;
      await control('update-devices', {
        tenant: 'neighbour.example.org',
        updates: [{ id, patch: { notes: 'cracked screen' } }],
      });
      expect(fake.devices('neighbour.example.org')[0]!.notes).toBe('cracked screen');
      const generated = await control('generate-fleet', {
        tenant: 'neighbour.example.org',
        size: 12,
        serials: ['PFGEN001'],
        junk: 2,
      });
      expect(generated.json.devices).toBe(14);
      expect(fake.devices('neighbour.example.org').some((d) => d.serialNumber === 'PFGEN001')).toBe(true);
    });

    it('switches filter support, throttling, licence and batch order', async () => {
      await control('filter-support', { mode: 'ignored', serialCaseSensitive: true });
      expect([fake.filterSupport, fake.serialFilterCaseSensitive]).toEqual(['ignored', true]);
      fake.serialFilterCaseSensitive = false;
      const throttle = await control('throttle', { perAppLimit: 7 });
      expect(throttle.json.throttle).toMatchObject({ perAppLimit: 7, windowMs: 20_000 });
      await control('licence', { tenant: 'neighbour.example.org', licensed: false });
      expect(fake.tenant('neighbour.example.org').licensed).toBe(false);
      await control('licence', { tenant: 'neighbour.example.org', licensed: true });
      await control('batch-order', { order: 'reversed' });
      expect(fake.batchOrder).toBe('reversed');
      fake.batchOrder = 'shuffled';
    });

    it('manages tenants, apps, permissions, tokens, consent and the clock', async () => {
      const added = await control('add-tenant', { domains: ['control.example.org'] });
      const tenantId = (added.json.tenant as { id: string }).id;
      await control('add-app', {
        tenant: tenantId,
        clientId: '5f6a7b8c-9d0e-4f1a-b2c3-d4e5f6a7b8c9',
        secret: 's',
        permissions: ['DeviceManagementManagedDevices.Read.All'],
      });
      const approved = await control('approve', { url: fake.consentUrl({ state: 's1' }), tenant: tenantId });
      expect(new URL(approved.json.redirect as string).searchParams.get('tenant')).toBe(tenantId);
      const denied = await control('deny', { url: fake.consentUrl({ state: 's2' }) });
      expect(new URL(denied.json.redirect as string).searchParams.get('error')).toBe('access_denied');
      const { json } = await control('tenants');
      expect(
        (json.tenants as { id: string; apps: unknown[] }[]).find((t) => t.id === tenantId)!.apps,
      ).toHaveLength(2);

      const held = await accessToken(fake, tenantId);
      await control('remove-permission', {
        tenant: tenantId,
        clientId: fake.defaultApp.clientId,
        permission: 'DeviceManagementManagedDevices.Read.All',
      });
      expect((await list(held)).status).toBe(403);
      await control('revoke-app', { tenant: tenantId, clientId: fake.defaultApp.clientId });
      expect((await list(held)).status).toBe(401);

      const fresh = await accessToken(fake);
      await control('expire-tokens', {});
      expect((await list(fresh)).json.error.message).toBe('Access token has expired or is not yet valid.');
      const before = fake.now();
      const advanced = await control('advance-time', { ms: 60_000 });
      expect(Date.parse(advanced.json.now as string)).toBeGreaterThanOrEqual(before + 60_000);
      fake.advanceTime(-60_000);
      token = await accessToken(fake);
    });

    it('answers an unknown control route with 404 and a bad body with 400', async () => {
      expect((await control('no-such-thing', {})).status).toBe(404);
      const bad = await fetch(`${fake.url}/__fake/latency`, { method: 'POST', body: '{not json' });
      expect(bad.status).toBe(400);
    });
  });
});

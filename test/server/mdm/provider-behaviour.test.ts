import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../setup/app.ts';
import { type ConnectedDistrict, providerDistricts } from '../../setup/providers/districts.ts';
import type { ProviderFake } from '../../setup/providers/harness.ts';
import { PROVIDER_HARNESSES } from '../../setup/providers/index.ts';

/**
 * The rules every provider obeys, written once and run against each provider's fake: Satchel never creates a
 * device, asks only about tracked devices (and under "Only devices in Satchel" never lists), stores exactly what
 * the provider holds, marks devices not found only after a complete pass, resumes a killed run, goes quiet on
 * Deactivate, and survives the provider's faults without losing what it stored.
 */
describe.each(PROVIDER_HARNESSES)('the $key provider', (harness) => {
  let fake: ProviderFake;
  let testApp: TestApp;
  beforeAll(async () => {
    fake = await harness.start();
    testApp = await createTestApp(fake.environment);
  });
  afterAll(async () => {
    await testApp?.app.close();
    await testApp?.database.close();
    await fake?.close();
  });
  const districts = providerDistricts(harness.key, () => ({ fake, testApp }));

  /** Inventory devices with at least `tracked` of them tracked (demo data retires and disposes about one in ten). */
  const devicesFor = (tracked: number) => Math.ceil(tracked * 1.25);

  function keysOf(devices: readonly { serialKey: string }[]): Set<string> {
    return new Set(devices.map((device) => device.serialKey));
  }

  async function expectStoredAsProviderHolds(connected: ConnectedDistrict) {
    const records = await districts.records(connected.district.id);
    const serialById = new Map(connected.all.map((device) => [device.id, device.serialKey]));
    const trackedIds = new Set(connected.tracked.map((device) => device.id));
    expect(records.every((record) => trackedIds.has(record.device_id))).toBe(true);
    const matched = records.filter((record) => record.match_state === 'matched');
    expect(matched.length).toBeGreaterThan(0);
    for (const record of matched) {
      const expected = connected.tenant.expectedFields(serialById.get(record.device_id) as string);
      expect(expected).not.toBeNull();
      expect(record.fields).toMatchObject(expected as object);
    }
    return records;
  }

  it('enriches only tracked devices, naming only their serials and never listing, under “Only devices in Satchel”', async () => {
    const connected = await districts.connect({
      devices: 80,
      overlap: 0.8,
      junk: 15,
      requestScope: 'tracked_only',
    });
    const before = await districts.inventorySnapshot(connected.district.id);
    const { run, requests } = await districts.sync(connected);
    expect(run, run.error).toMatchObject({ state: 'succeeded', error: null });
    expect(run.estimate).toMatchObject({ requestScope: 'tracked_only', lookupNote: expect.any(String) });
    expect(await districts.inventorySnapshot(connected.district.id)).toEqual(before);

    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((request) => request.listing)).toEqual([]);
    const tracked = keysOf(connected.tracked);
    const named = requests.flatMap((request) => request.serials);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((serial) => !tracked.has(serial.toUpperCase()))).toEqual([]);

    const records = await expectStoredAsProviderHolds(connected);
    expect(records).toHaveLength(connected.tracked.length);
    const matched = records.filter((record) => record.match_state === 'matched').length;
    expect(run.counters.notFound).toBe(connected.tracked.length - matched);
    expect(run.counters.apiCalls).toBeLessThanOrEqual(Number(run.estimate.apiCalls) + 1);
    // A serial enrolled twice keeps the newest record, and names the older one.
    const twice = connected.tracked.find((device) => device.serialKey === connected.all[0]?.serialKey);
    if (twice) {
      const record = records.find((candidate) => candidate.device_id === twice.id);
      expect(record?.extras.duplicateDeviceIds).toHaveLength(1);
    }
  });

  it('lists the fleet only when the district allows it, counting the provider’s other devices without storing them', async () => {
    const connected = await districts.connect({
      devices: 1_300,
      overlap: 0.1,
      junk: 40,
      requestScope: 'fewest_calls',
    });
    const before = await districts.inventorySnapshot(connected.district.id);
    const listed = await districts.sync(connected);
    expect(listed.run, listed.run.error).toMatchObject({ state: 'succeeded' });
    const option = listed.run.estimate.options.find(
      (candidate: { strategy: string }) => candidate.strategy === listed.run.strategy,
    );
    expect(option, 'a listing costs fewer calls here').toMatchObject({ targeted: false });
    expect(listed.requests.some((request) => request.listing)).toBe(true);
    expect(listed.run.counters.unmatchedProviderDevices).toBeGreaterThanOrEqual(40);
    expect(await districts.inventorySnapshot(connected.district.id)).toEqual(before);
    await expectStoredAsProviderHolds(connected);

    const narrowed = await connected.session.inject({
      method: 'PATCH',
      url: `/api/v1/mdm/providers/${harness.key}/settings`,
      payload: { settings: { requestScope: 'tracked_only' } },
    });
    expect(narrowed.json().settings.requestScope).toBe('tracked_only');
    const looked = await districts.sync(connected);
    expect(looked.run, looked.run.error).toMatchObject({ state: 'succeeded' });
    expect(looked.run.estimate.requestScope).toBe('tracked_only');
    expect(looked.requests.filter((request) => request.listing)).toEqual([]);
    const tracked = keysOf(connected.tracked);
    expect(
      looked.requests
        .flatMap((request) => request.serials)
        .filter((serial) => !tracked.has(serial.toUpperCase())),
    ).toEqual([]);
  });

  it('marks a device not found only after a complete pass', async () => {
    const connected = await districts.connect({
      devices: 40,
      overlap: 1,
      junk: 0,
      requestScope: 'tracked_only',
    });
    expect((await districts.sync(connected)).run.state).toBe('succeeded');
    const gone = connected.tracked[5] as { id: string; serialKey: string };
    connected.tenant.remove(gone.serialKey);
    fake.malformedNext();
    const broken = await districts.sync(connected);
    fake.resetFaults();
    expect(broken.run.state).toBe('failed');
    const stateOf = async () =>
      (await districts.records(connected.district.id)).find((record) => record.device_id === gone.id)
        ?.match_state;
    expect(await stateOf()).toBe('matched');
    const complete = await districts.sync(connected);
    expect(complete.run.state).toBe('succeeded');
    expect(await stateOf()).toBe('not_found');
  });

  it('resumes a killed run from its checkpoint, without asking for the pages it wrote again', async () => {
    const connected = await districts.connect({
      devices: devicesFor(harness.multiPageTracked),
      overlap: 1,
      junk: 0,
      requestScope: 'tracked_only',
    });
    const run = await districts.queue(connected);
    const killed = new AbortController();
    fake.setLatency(60);
    try {
      const running = districts.runQueued(connected, run.id, killed.signal).catch(() => 'killed');
      for (;;) {
        const current = await districts.runOf(connected, run.id);
        if (current.counters.pages >= 1) break;
        await sleep(10);
      }
      killed.abort();
      expect(await running).toBe('killed');
    } finally {
      fake.setLatency(0);
    }
    const stopped = await districts.runOf(connected, run.id);
    expect(stopped.state).toBe('running');
    await districts.runQueued(connected, run.id);
    const finished = await districts.runOf(connected, run.id);
    expect(finished, finished.error).toMatchObject({ state: 'succeeded' });
    // The page in flight when the run was killed may be asked for again; nothing else is.
    expect(finished.counters.apiCalls).toBeLessThanOrEqual(Number(finished.estimate.apiCalls) + 2);
    expect(finished.counters.pages).toBeGreaterThanOrEqual(3);
    const records = await expectStoredAsProviderHolds(connected);
    expect(records.filter((record) => record.match_state === 'matched')).toHaveLength(
      connected.tracked.length,
    );
  });

  it('sends the provider nothing more from the moment it is deactivated', async () => {
    const connected = await districts.connect({
      devices: devicesFor(harness.multiPageTracked),
      overlap: 1,
      junk: 0,
      requestScope: 'tracked_only',
    });
    const run = await districts.queue(connected);
    const start = fake.mark();
    fake.setLatency(150);
    try {
      const running = districts.runQueued(connected, run.id);
      while (fake.requestsSince(start).length === 0) await sleep(10);
      const deactivated = await connected.session.inject({
        method: 'POST',
        url: `/api/v1/mdm/providers/${harness.key}/deactivate`,
      });
      expect(deactivated.statusCode).toBe(200);
      const after = fake.mark();
      await running;
      expect(fake.requestsSince(after)).toEqual([]);
    } finally {
      fake.setLatency(0);
    }
    expect(await districts.runOf(connected, run.id)).toMatchObject({
      state: 'cancelled',
      error: expect.stringMatching(/deactivated/),
    });
  });

  it('retries rate limits, with and without Retry-After, and unavailable answers, counting every attempt', async () => {
    const connected = await districts.connect({
      devices: 30,
      overlap: 1,
      junk: 0,
      requestScope: 'tracked_only',
    });
    for (const [status, retryAfter] of [
      [429, 1],
      [429, null],
      [503, undefined],
    ] as const) {
      fake.failNext(1, status, retryAfter === undefined ? {} : { retryAfter });
      const { run, requests } = await districts.sync(connected);
      fake.resetFaults();
      expect(run, `${status} ${retryAfter}: ${run.error}`).toMatchObject({ state: 'succeeded' });
      expect(run.counters.retries).toBeGreaterThanOrEqual(1);
      expect(requests.some((request) => request.status === status)).toBe(true);
    }
  });

  it('fails a run on a malformed page and keeps what was stored', async () => {
    const connected = await districts.connect({
      devices: 30,
      overlap: 1,
      junk: 0,
      requestScope: 'tracked_only',
    });
    expect((await districts.sync(connected)).run.state).toBe('succeeded');
    const before = await districts.records(connected.district.id);
    fake.malformedNext();
    const { run } = await districts.sync(connected);
    fake.resetFaults();
    expect(run).toMatchObject({ state: 'failed', error: expect.any(String) });
    expect(await districts.records(connected.district.id)).toEqual(before);
    const tile = (
      await connected.session.inject({ method: 'GET', url: `/api/v1/mdm/providers/${harness.key}` })
    ).json();
    expect(tile.state).toBe('error');
  });

  it('asks for a new authorization when the provider no longer accepts the stored one', async () => {
    const connected = await districts.connect({
      devices: 20,
      overlap: 1,
      junk: 0,
      requestScope: 'tracked_only',
    });
    expect((await districts.sync(connected)).run.state).toBe('succeeded');
    connected.tenant.revoke();
    const { run } = await districts.sync(connected);
    expect(run.state).toBe('failed');
    const tile = (
      await connected.session.inject({ method: 'GET', url: `/api/v1/mdm/providers/${harness.key}` })
    ).json();
    expect(tile).toMatchObject({ state: 'needs_reauthorization', statusReason: expect.any(String) });
  });
});

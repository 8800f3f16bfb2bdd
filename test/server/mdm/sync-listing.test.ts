import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { FakeGoogle } from '../../../fakes/google/index.ts';
import { serialKey } from '../../../src/common/inventory.ts';
import type { TestApp } from '../../setup/app.ts';
import { withGoogleApp } from '../../setup/google.ts';
import { type Fixture, syncHarness } from '../../setup/google-sync.ts';

let fake: FakeGoogle;
let testApp: TestApp;

withGoogleApp((env) => {
  ({ fake, testApp } = env);
});

const { connectedDistrict, queue, runQueued, sync, records } = syncHarness(() => ({ fake, testApp }));

const LIST = 'directory.chromeosdevices.list';
const COUNT = 'directory.customer.devices.chromeos.countChromeOsDevices';

async function snapshot(districtId: string) {
  return (await records(districtId))
    .map((row) => `${row.device_id}:${row.provider_device_id}:${row.content_hash}:${row.match_state}`)
    .sort();
}

/** Google devices of tracked serials, as the fake holds them. */
function trackedInGoogle(fixture: Fixture) {
  const tracked = new Set(fixture.tracked.map((device) => device.serialKey));
  return fake.devices(fixture.domain).filter((device) => tracked.has(serialKey(String(device.serialNumber))));
}

/** Moves the connection's finished runs back in time, as if they had happened that long ago. */
async function ageRuns(fixture: Fixture, hours: number) {
  const runs = await testApp.database.db
    .selectFrom('sync_runs')
    .select(['id', 'started_at', 'finished_at'])
    .where('connection_id', '=', fixture.connectionId)
    .execute();
  for (const run of runs) {
    await testApp.database.db
      .updateTable('sync_runs')
      .set({
        started_at: run.started_at ? new Date(new Date(run.started_at).getTime() - hours * 3600_000) : null,
        finished_at: run.finished_at
          ? new Date(new Date(run.finished_at).getTime() - hours * 3600_000)
          : null,
      })
      .where('id', '=', run.id)
      .execute();
  }
}

describe('incremental runs between daily full passes', () => {
  it('a scheduled run after a recent full pass lists only the devices that changed since the last good sync', async () => {
    const fixture = await connectedDistrict({ devices: 1300, overlap: 0.5, junk: 30 });
    const full = await sync(fixture);
    expect(full.run).toMatchObject({ state: 'succeeded', strategy: 'batch_lookup' });
    const before = new Map((await records(fixture.districtId)).map((row) => [row.device_id, row]));

    const inGoogle = trackedInGoogle(fixture);
    const changed = inGoogle.slice(0, 6);
    // Changed in Google too: a device retired in Satchel since the full pass, and devices Satchel never
    // tracked (retired ones, junk). The listing names them all; none of them may be written.
    const retiredSince = inGoogle[6]!;
    const retiredId = fixture.tracked.find(
      (device) => device.serialKey === serialKey(String(retiredSince.serialNumber)),
    )!.id;
    const retire = await fixture.session.inject({
      method: 'PATCH',
      url: `/api/v1/devices/${retiredId}`,
      payload: { status: 'retired', checkIn: {} },
    });
    expect(retire.statusCode, retire.body).toBe(200);
    const trackedKeys = new Set(fixture.tracked.map((device) => device.serialKey));
    const strangers = fake
      .devices(fixture.domain)
      .filter((device) => !trackedKeys.has(serialKey(String(device.serialNumber))))
      .slice(0, 8);
    expect(strangers.length).toBe(8);
    const now = new Date().toISOString();
    for (const device of [...changed, retiredSince, ...strangers])
      fake.updateDevice(fixture.domain, String(device.deviceId), { lastSync: now, osVersion: '199.0.1.2' });

    const { run, requests } = await sync(fixture, 'schedule');
    expect(run, JSON.stringify(run.estimate)).toMatchObject({
      state: 'succeeded',
      strategy: 'incremental_listing',
    });
    const since = `sync:${now.slice(0, 10)}..`;
    expect(requests.find((entry) => entry.operation === COUNT)?.query.filter).toBe(since);
    const listings = requests.filter((entry) => entry.operation === LIST);
    expect(listings.length).toBeGreaterThan(0);
    expect(listings.every((entry) => entry.query.query === since)).toBe(true);
    // No lookups: the changed devices came from the listing alone.
    expect(requests.some((entry) => entry.inner)).toBe(false);
    expect(run.counters.apiCalls).toBe(1 + listings.length);
    expect(run.counters.apiCalls).toBeLessThanOrEqual(Number(run.estimate.apiCalls) + 1);

    const after = await records(fixture.districtId);
    const changedSerials = new Set(changed.map((device) => serialKey(String(device.serialNumber))));
    const updated = after.filter((row) => (row.fields as { osVersion?: string }).osVersion === '199.0.1.2');
    expect(updated.length).toBe(
      fixture.tracked.filter((device) => changedSerials.has(device.serialKey)).length,
    );
    expect(run.counters.changed).toBe(updated.length);
    expect(updated.some((row) => row.device_id === retiredId)).toBe(false);
    expect(after.length).toBe(before.size);
    expect(run.counters.considered).toBe(fixture.tracked.length - 1);
    expect(run.counters.unmatchedProviderDevices).toBeGreaterThanOrEqual(strangers.length + 1);
    // Everything else stays as the full pass left it, not-found records included: an incomplete pass
    // cannot tell which devices Google does not know.
    for (const row of after) {
      if (updated.some((record) => record.device_id === row.device_id)) continue;
      const earlier = before.get(row.device_id);
      expect(row.content_hash).toBe(earlier?.content_hash);
      expect(row.match_state).toBe(earlier?.match_state);
      expect(String(row.updated_at)).toBe(String(earlier?.updated_at));
    }
    expect(run.counters.notFound).toBe(0);
  });

  it('runs a complete pass when the last one is a day old, or when someone asks for a sync', async () => {
    const fixture = await connectedDistrict({ devices: 1300, overlap: 0.5, junk: 30 });
    await sync(fixture);
    const incremental = await sync(fixture, 'schedule');
    expect(incremental.run.strategy).toBe('incremental_listing');

    const manual = await sync(fixture, 'manual');
    expect(manual.run).toMatchObject({
      strategy: 'batch_lookup',
      estimate: { complete: true, fullPass: true },
    });

    await ageRuns(fixture, 25);
    const daily = await sync(fixture, 'schedule');
    expect(daily.run).toMatchObject({
      strategy: 'batch_lookup',
      estimate: { complete: true, fullPass: true },
    });
    expect(daily.run.counters.notFound).toBe(manual.run.counters.notFound);
    expect(daily.run.counters.notFound).toBeGreaterThan(0);

    const next = await sync(fixture, 'schedule');
    expect(next.run.strategy).toBe('incremental_listing');
  });
});

describe('the first page of an incremental pass', () => {
  it('is asked for while Google counts the changes', async () => {
    const fixture = await connectedDistrict({ devices: 1300, overlap: 0.5, junk: 30 });
    await sync(fixture);
    const now = new Date().toISOString();
    for (const device of trackedInGoogle(fixture).slice(0, 4))
      fake.updateDevice(fixture.domain, String(device.deviceId), { lastSync: now, osVersion: '199.0.3.4' });
    const run = await queue(fixture, 'schedule');
    const mark = fake.mark();
    // Google answers nothing until both requests are in: the listing left before the count came back.
    const release = fake.holdAnswers(0);
    const running = runQueued(fixture, run.id);
    try {
      // Held requests are not dispatched yet, so they are told apart by path.
      const held = () =>
        fake
          .requestsSince(mark)
          .filter((entry) => entry.kind === 'api')
          .map((entry) => (entry.path.endsWith(':countChromeOsDevices') ? 'count' : 'list'));
      await expect.poll(held, { timeout: 10_000 }).toEqual(expect.arrayContaining(['count', 'list']));
    } finally {
      release();
    }
    await running;
    const finished = (
      await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })
    ).json();
    expect(finished).toMatchObject({ state: 'succeeded', strategy: 'incremental_listing' });
    const listings = fake.requestsSince(mark).filter((entry) => entry.operation === LIST);
    expect(finished.counters.apiCalls).toBe(1 + listings.length);
    const updated = (await records(fixture.districtId)).filter(
      (row) => (row.fields as { osVersion?: string }).osVersion === '199.0.3.4',
    );
    expect(updated.length).toBeGreaterThanOrEqual(4);
  });

  it('is dropped, and its call counted, when so much changed that lookups are cheaper', async () => {
    const fixture = await connectedDistrict({ devices: 1300, overlap: 0.5, junk: 30 });
    await sync(fixture);
    const now = new Date().toISOString();
    // Every device changed: listing them takes more pages than looking the tracked ones up.
    for (const device of fake.devices(fixture.domain))
      fake.updateDevice(fixture.domain, String(device.deviceId), { lastSync: now, osVersion: '199.0.5.6' });
    const { run, requests } = await sync(fixture, 'schedule');
    expect(run).toMatchObject({ state: 'succeeded', strategy: 'batch_lookup' });
    const listings = requests.filter((entry) => entry.operation === LIST && !entry.inner);
    const batches = requests.filter((entry) => entry.kind === 'batch' && !entry.inner);
    expect(listings.length).toBe(1);
    expect(batches.length).toBe(Math.ceil(fixture.tracked.length / 1000));
    expect(run.counters.apiCalls).toBe(1 + listings.length + batches.length);
    expect(run.counters.apiCalls).toBeLessThanOrEqual(Number(run.estimate.apiCalls) + 1);
    const inGoogle = new Set(
      trackedInGoogle(fixture).map((device) => serialKey(String(device.serialNumber))),
    );
    const updated = (await records(fixture.districtId)).filter(
      (row) => (row.fields as { osVersion?: string }).osVersion === '199.0.5.6',
    );
    expect(updated.length).toBe(fixture.tracked.filter((device) => inGoogle.has(device.serialKey)).length);
  });
});

describe('sizing the fleet', () => {
  it('counts the fleet at most once a day under the same settings', async () => {
    const fixture = await connectedDistrict({ devices: 1300, overlap: 0.5, junk: 30 });
    const counts = (requests: { operation?: string }[]) =>
      requests.filter((entry) => entry.operation === COUNT).length;
    const first = await sync(fixture);
    expect(counts(first.requests)).toBe(1);
    expect(first.run.estimate).toMatchObject({
      fleetSize: expect.any(Number),
      fleetCountedAt: expect.any(String),
    });

    // Sync now again: the count from minutes ago still sizes the fleet; only the lookups are spent.
    const again = await sync(fixture);
    expect(counts(again.requests)).toBe(0);
    expect(again.run.estimate).toMatchObject({
      fleetSize: first.run.estimate.fleetSize,
      fleetCountedAt: first.run.estimate.fleetCountedAt,
    });
    expect(again.run.counters.apiCalls).toBe(Number(again.run.estimate.apiCalls));
    expect(again.run.counters.apiCalls).toBe(first.run.counters.apiCalls - 1);

    // Other settings may cover another part of the fleet: count again.
    const patched = await fixture.session.inject({
      method: 'PATCH',
      url: '/api/v1/mdm/providers/google/settings',
      payload: { settings: { recentUsersKept: 5 } },
    });
    expect(patched.statusCode).toBe(200);
    const afterSettings = await sync(fixture);
    expect(counts(afterSettings.requests)).toBe(1);

    // A count a day old is taken again.
    const counted = afterSettings.run.estimate.fleetCountedAt as string;
    await testApp.database.db
      .updateTable('sync_runs')
      .set({
        estimate: sql`jsonb_set(estimate, '{fleetCountedAt}', to_jsonb(${new Date(Date.parse(counted) - 25 * 3600_000).toISOString()}::text))`,
      })
      .where('connection_id', '=', fixture.connectionId)
      .execute();
    const dayLater = await sync(fixture);
    expect(counts(dayLater.requests)).toBe(1);
  });
});

/**
 * A district small enough in Google that listing beats lookups, synced once for reference; then its records
 * are dropped so the next run has to write them all again.
 */
async function listedOnce() {
  const fixture = await connectedDistrict({ devices: 1300, overlap: 0.1, junk: 20 });
  const reference = await sync(fixture);
  expect(reference.run.strategy, JSON.stringify(reference.run.estimate)).toBe('full_listing');
  const expected = await snapshot(fixture.districtId);
  await testApp.database.db
    .deleteFrom('mdm_device_records')
    .where('district_id', '=', fixture.districtId)
    .execute();
  return { fixture, reference, expected };
}

describe('listing faults seen in the field', () => {
  it('follows page tokens when Google returns fewer devices per page than asked', async () => {
    const { fixture, reference, expected } = await listedOnce();

    fake.pageSizeCap = 50;
    try {
      const { run, requests } = await sync(fixture);
      const listings = requests.filter((entry) => entry.operation === LIST);
      expect(listings.every((entry) => entry.query.maxResults === '300')).toBe(true);
      expect(listings.length).toBe(Math.ceil(fake.devices(fixture.domain).length / 50));
      expect(run.state).toBe('succeeded');
      expect(run.counters.unmatchedProviderDevices).toBe(reference.run.counters.unmatchedProviderDevices);
      expect(await snapshot(fixture.districtId)).toEqual(expected);
    } finally {
      fake.pageSizeCap = 300;
    }
  });

  it('restarts a listing whose page token expired, without counting a device twice', async () => {
    const { fixture, reference, expected } = await listedOnce();

    const queued = await queue(fixture);
    const mark = fake.mark();
    fake.latencyMs = 100;
    fake.pageSizeCap = 50;
    const running = runQueued(fixture, queued.id);
    // Once the second page is in hand, two hours pass at Google: the token for the third is dead.
    for (;;) {
      if (fake.requestsSince(mark).filter((entry) => entry.operation === LIST && entry.status).length >= 2)
        break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    fake.advanceTime(2 * 3600_000);
    await running;
    fake.latencyMs = 0;
    fake.pageSizeCap = 300;

    const listings = fake.requestsSince(mark).filter((entry) => entry.operation === LIST);
    const expired = listings.findIndex((entry) => entry.status === 400);
    expect(expired).toBeGreaterThan(0);
    expect(listings[expired + 1]?.query.pageToken).toBeUndefined();
    const run = (
      await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${queued.id}` })
    ).json();
    expect(run.state).toBe('succeeded');
    expect(run.counters.unmatchedProviderDevices).toBe(reference.run.counters.unmatchedProviderDevices);
    expect(run.counters.matched).toBe(reference.run.counters.matched);
    expect(await snapshot(fixture.districtId)).toEqual(expected);
  });
});

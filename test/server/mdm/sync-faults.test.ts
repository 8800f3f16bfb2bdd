import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { FakeGoogle } from '../../../fakes/google/index.ts';
import type { TestApp } from '../../setup/app.ts';
import { withGoogleApp } from '../../setup/google.ts';
import { syncHarness } from '../../setup/google-sync.ts';

let fake: FakeGoogle;
let testApp: TestApp;
withGoogleApp((env) => {
  ({ fake, testApp } = env);
});

const { connectedDistrict, sync, records } = syncHarness(() => ({ fake, testApp }));

/** Makes the next run count the fleet again, as it does once the last count is a day old. */
async function forgetFleetCount(connectionId: string) {
  await testApp.database.db
    .updateTable('sync_runs')
    .set({ estimate: sql`estimate - 'fleetCountedAt'` })
    .where('connection_id', '=', connectionId)
    .execute();
}

const BATCH = 'batch';
const LIST = 'directory.chromeosdevices.list';
const COUNT = 'directory.customer.devices.chromeos.countChromeOsDevices';

describe('provider faults during a sync', () => {
  it('refuses a response over 20 MB while it streams in, failing the run and keeping stored data (SY-8)', async () => {
    const fixture = await connectedDistrict({ devices: 60, overlap: 1, junk: 0 });
    await sync(fixture);
    const before = await records(fixture.districtId);
    fake.malformedNext(1, 'oversized', { target: 'batch-item' });
    const { run } = await sync(fixture);
    fake.resetFaults();
    expect(run.state).toBe('failed');
    expect(run.error).toMatch(/larger than 20 MB/);
    expect(run.counters.notFound).toBe(0);
    expect(await records(fixture.districtId)).toEqual(before);
  });

  it('refuses oversized answers to the other calls the same way (fleet count, listing pages)', async () => {
    const fixture = await connectedDistrict({ devices: 1300, overlap: 0.1, junk: 20 });
    const first = await sync(fixture);
    expect(first.run.strategy).toBe('full_listing');
    const before = await records(fixture.districtId);
    for (const call of [COUNT, LIST]) {
      // The run's first plain call counts the fleet; the second lists the first page.
      await forgetFleetCount(fixture.connectionId);
      fake.malformedNext(1, 'oversized', { target: 'api', after: call === COUNT ? 0 : 1 });
      const { run, requests } = await sync(fixture);
      fake.resetFaults();
      expect(requests.at(-1)?.operation).toBe(call);
      expect(run).toMatchObject({ state: 'failed', error: expect.stringMatching(/larger than 20 MB/) });
      expect(await records(fixture.districtId)).toEqual(before);
    }
  });

  it('retries 5xx answers and rate-limit 403s with backoff, counting every attempt', async () => {
    const fixture = await connectedDistrict({ devices: 60, overlap: 1, junk: 0 });
    fake.failNext(1, 503, 'backendError', { target: 'api' });
    fake.failNext(1, 403, 'userRateLimitExceeded', { target: 'api' });
    const { run, requests } = await sync(fixture);
    expect(run.state).toBe('succeeded');
    expect(requests.filter((entry) => entry.operation === BATCH)).toHaveLength(3);
    expect(run.counters.retries).toBe(2);
    expect(run.counters.apiCalls).toBe(3);
    // The rate limit held back every worker's Google requests, not only this run's.
    const limit = await testApp.database.db
      .selectFrom('provider_rate_limits')
      .select('paused_until')
      .where('provider', '=', 'google')
      .executeTakeFirstOrThrow();
    expect(limit.paused_until).not.toBeNull();
  });

  it('does not retry a 403 that is not about rate limits: the authorization is the problem', async () => {
    const fixture = await connectedDistrict({ devices: 60, overlap: 1, junk: 0 });
    fake.failNext(1, 403, 'forbidden', { target: 'api' });
    const { run, requests } = await sync(fixture);
    expect(requests.filter((entry) => entry.operation === BATCH)).toHaveLength(1);
    expect(run.state).toBe('failed');
    const tile = (await fixture.session.inject({ method: 'GET', url: '/api/v1/mdm/providers' }))
      .json()
      .providers.find((provider: { key: string }) => provider.key === 'google');
    expect(tile.state).toBe('needs_reauthorization');
    expect(tile.statusReason).toMatch(/ChromeOS device privilege/);
  });
});

describe('after a failed run', () => {
  it('keeps syncing: the next run goes ahead and its success clears the error', async () => {
    const fixture = await connectedDistrict({ devices: 60, overlap: 1, junk: 0 });
    fake.malformedNext(1, 'truncated', { target: 'batch-item' });
    const failed = await sync(fixture);
    expect(failed.run.state).toBe('failed');
    const tile = async () =>
      (await fixture.session.inject({ method: 'GET', url: '/api/v1/mdm/providers' }))
        .json()
        .providers.find((provider: { key: string }) => provider.key === 'google');
    expect((await tile()).state).toBe('error');
    expect((await tile()).nextSyncAt).not.toBeNull();
    const next = await sync(fixture, 'schedule');
    expect(next.run.state).toBe('succeeded');
    expect((await tile()).state).toBe('active');
  });
});

describe('a pagination loop (SY-8)', () => {
  it('stops the run when Google hands back the page token it was asked with, keeping stored data', async () => {
    const fixture = await connectedDistrict({ devices: 1300, overlap: 0.1, junk: 20 });
    fake.pageSizeCap = 40;
    try {
      const first = await sync(fixture);
      expect(first.run.strategy).toBe('full_listing');
      const before = await records(fixture.districtId);
      // After the count and the first page, the second page says the next one starts where it did.
      await forgetFleetCount(fixture.connectionId);
      fake.malformedNext(1, 'repeat-token', { target: 'api', after: 2 });
      const { run, requests } = await sync(fixture);
      fake.resetFaults();
      expect(run).toMatchObject({ state: 'failed', error: expect.stringMatching(/pagination loop/) });
      // Seen on arrival: the looping page is not followed.
      expect(requests.filter((entry) => entry.operation === LIST)).toHaveLength(2);
      expect(run.counters.notFound).toBe(0);
      const summary = (rows: typeof before) =>
        rows.map((row) => `${row.device_id}:${row.content_hash}:${row.match_state}`).sort();
      expect(summary(await records(fixture.districtId))).toEqual(summary(before));
    } finally {
      fake.pageSizeCap = 300;
    }
  });
});

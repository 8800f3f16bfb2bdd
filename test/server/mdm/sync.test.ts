import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type FakeGoogle, JUNK_SERIALS } from '../../../fakes/google/index.ts';
import { NormalizedFields } from '../../../src/common/mdm.ts';
import { buildApp } from '../../../src/server/app.ts';
import { JobQueue } from '../../../src/server/jobs/boss.ts';
import { googleConfig } from '../../../src/server/mdm/providers/google/config.ts';
import { google } from '../../../src/server/mdm/providers/google/definition.ts';
import { LIST_FIELDS, MAX_RECENT_USERS } from '../../../src/server/mdm/providers/google/mapping.ts';
import { runSync } from '../../../src/server/mdm/sync/engine.ts';
import { scheduleDueSyncs, syncJob } from '../../../src/server/mdm/sync/job.ts';
import { SharedRateLimiter } from '../../../src/server/mdm/sync/rate-limit.ts';
import { EMPTY_COUNTERS, finishRun, queueRun } from '../../../src/server/mdm/sync/runs.ts';
import { decryptSecret } from '../../../src/server/secrets/envelope.ts';
import { silentLog, type TestApp } from '../../setup/app.ts';
import { addUser, createDistrict, type Session, signIn } from '../../setup/factories.ts';
import { withGoogleApp } from '../../setup/google.ts';
import { syncHarness } from '../../setup/google-sync.ts';

let fake: FakeGoogle;
let testApp: TestApp;

withGoogleApp((env) => {
  ({ fake, testApp } = env);
});

const { connectedDistrict, sync, inventorySnapshot, records } = syncHarness(() => ({ fake, testApp }));

/** Queues a run of the fixture's Google connection directly, as the scheduler or Sync now would. */
function queueFor(fixture: { districtId: string; connectionId: string }, trigger: 'manual' | 'schedule') {
  return queueRun(testApp.database.db, {
    districtId: fixture.districtId,
    connectionId: fixture.connectionId,
    provider: 'google',
    trigger,
  });
}

describe('Google device sync', () => {
  it('enriches only tracked devices, asks Google only about them, and never touches the inventory', async () => {
    const fixture = await connectedDistrict({ devices: 240, overlap: 0.8, junk: 40 });
    const before = await inventorySnapshot(fixture.districtId);
    const { run, requests } = await sync(fixture);
    expect(run).toMatchObject({ state: 'succeeded', strategy: 'batch_lookup', error: null });
    expect(await inventorySnapshot(fixture.districtId)).toEqual(before);

    const trackedKeys = new Set(fixture.tracked.map((device) => device.serialKey));
    const askedAbout = requests.flatMap((entry) => entry.serials ?? []);
    expect(askedAbout.length).toBeGreaterThan(0);
    expect(askedAbout.filter((serial) => !trackedKeys.has(serial.toUpperCase()))).toEqual([]);
    expect(askedAbout.some((serial) => JUNK_SERIALS.includes(serial))).toBe(false);

    const stored = await records(fixture.districtId);
    const trackedIds = new Set(fixture.tracked.map((device) => device.id));
    expect(stored.every((record) => trackedIds.has(record.device_id))).toBe(true);
    const matched = stored.filter((record) => record.match_state === 'matched');
    expect(matched.length).toBe(run.counters.changed);
    expect(stored.length).toBe(fixture.tracked.length);
    expect(run.counters.notFound).toBe(fixture.tracked.length - matched.length);
    expect(matched[0]?.fields).toMatchObject({
      osName: expect.stringMatching(/ChromeOS/),
      lastCheckInAt: expect.any(String),
    });
    expect(run.counters.apiCalls).toBeLessThanOrEqual(Number(run.estimate.apiCalls) + 1);
  });

  it('lists the fleet when that costs fewer calls than looking devices up, counting strangers without storing them', async () => {
    const fixture = await connectedDistrict({ devices: 1300, overlap: 0.1, junk: 40 });
    const before = await inventorySnapshot(fixture.districtId);
    const { run, requests } = await sync(fixture);
    expect(run, JSON.stringify(run.estimate)).toMatchObject({ state: 'succeeded', strategy: 'full_listing' });
    expect(requests.map((entry) => entry.operation)).toContain(
      'directory.customer.devices.chromeos.countChromeOsDevices',
    );
    expect(run.counters.unmatchedProviderDevices).toBeGreaterThanOrEqual(40);
    expect(run.counters.apiCalls).toBeLessThanOrEqual(Number(run.estimate.apiCalls) + 1);
    expect(await inventorySnapshot(fixture.districtId)).toEqual(before);
    const stored = await records(fixture.districtId);
    const trackedIds = new Set(fixture.tracked.map((device) => device.id));
    expect(stored.every((record) => trackedIds.has(record.device_id))).toBe(true);
    const matched = stored.filter((record) => record.match_state === 'matched');
    expect(matched.length).toBe(run.counters.changed);
    const withDuplicates = matched.filter((record) =>
      Array.isArray((record.extras as { duplicateDeviceIds?: unknown }).duplicateDeviceIds),
    );
    expect(withDuplicates.length).toBeGreaterThan(0);
  });

  it('shows the data on the device, labelled with provider and as-of time, to every role that can see devices', async () => {
    const fixture = await connectedDistrict({ devices: 40, overlap: 1, junk: 0 });
    await sync(fixture);
    const stored = await records(fixture.districtId);
    const matched = stored.find((record) => record.match_state === 'matched')!;
    const viewer = await signIn(testApp.app, await addUser(testApp.database, fixture.district, 'viewer'));
    const detail = (
      await viewer.inject({ method: 'GET', url: `/api/v1/devices/${matched.device_id}` })
    ).json();
    expect(detail.mdm.google).toMatchObject({
      providerName: 'Google Admin (ChromeOS)',
      providerActive: true,
      matchState: 'matched',
      providerDeviceId: matched.provider_device_id,
      fields: { osName: expect.any(String), lastCheckInAt: expect.any(String) },
      fetchedAt: expect.any(String),
      consoleUrl: expect.stringContaining('admin.google.com'),
    });
    await fixture.session.inject({ method: 'POST', url: '/api/v1/mdm/providers/google/deactivate' });
    const after = (
      await viewer.inject({ method: 'GET', url: `/api/v1/devices/${matched.device_id}` })
    ).json();
    expect(after.mdm.google).toMatchObject({ providerActive: false, fetchedAt: detail.mdm.google.fetchedAt });
    const other = await createDistrict(testApp.database);
    const stranger = await signIn(testApp.app, other.admin);
    expect(
      (await stranger.inject({ method: 'GET', url: `/api/v1/devices/${matched.device_id}` })).statusCode,
    ).toBe(404);
  });

  it('streams a run’s progress as server-sent events until it ends', async () => {
    const fixture = await connectedDistrict({ devices: 20, overlap: 1, junk: 0 });
    const { run } = await sync(fixture);
    const events = await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}/events` });
    expect(events.statusCode).toBe(200);
    expect(events.headers['content-type']).toBe('text/event-stream');
    // The stream is written past Fastify's reply, but the security headers set for every response are on it.
    expect(events.headers['x-content-type-options']).toBe('nosniff');
    expect(events.headers['content-security-policy']).toBeDefined();
    const payloads = events.body
      .split('\n\n')
      .filter(Boolean)
      .map((chunk) => JSON.parse(chunk.split('\ndata: ')[1]!));
    expect(payloads.at(-1)).toMatchObject({ id: run.id, state: 'succeeded' });
    const other = await createDistrict(testApp.database);
    const stranger = await signIn(testApp.app, other.admin);
    expect(
      (await stranger.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}/events` })).statusCode,
    ).toBe(404);
  });

  it('re-syncing unchanged data writes nothing', async () => {
    const fixture = await connectedDistrict({ devices: 120, overlap: 0.9, junk: 10 });
    const firstRun = (await sync(fixture)).run;
    const first = await records(fixture.districtId);
    const { run } = await sync(fixture);
    // The same devices are still unknown to Google: reported again, but nothing is written.
    expect(run.counters).toMatchObject({ changed: 0, notFound: firstRun.counters.notFound });
    const second = await records(fixture.districtId);
    const stamp = (rows: typeof first) =>
      rows.map((row) => `${row.device_id}:${row.content_hash}:${row.updated_at.toISOString()}`).sort();
    expect(stamp(second)).toEqual(stamp(first));
  });

  it('moves the connection to needs re-authorization when Google rejects the stored token, keeping the data', async () => {
    const fixture = await connectedDistrict({ devices: 60, overlap: 1, junk: 0 });
    await sync(fixture);
    const before = await records(fixture.districtId);
    fake.revokeAll({ subject: `admin@${fixture.domain}` });
    const { run, requests } = await sync(fixture);
    expect(run.state).toBe('failed');
    expect(run.error, JSON.stringify(requests.map((e) => [e.operation, e.status, e.inner]))).toMatch(
      /invalid_grant|revoked/,
    );
    const tile = (
      await fixture.session.inject({ method: 'GET', url: '/api/v1/mdm/providers/google' })
    ).json();
    expect(tile).toMatchObject({
      state: 'needs_reauthorization',
      statusReason: expect.stringMatching(/revoked/),
    });
    expect(await records(fixture.districtId)).toEqual(before);
  });

  it('fails a run on a malformed page with a clear error and leaves stored data intact', async () => {
    const fixture = await connectedDistrict({ devices: 60, overlap: 1, junk: 0 });
    await sync(fixture);
    const before = await records(fixture.districtId);
    fake.malformedNext(1, 'truncated', { target: 'api' });
    fake.malformedNext(1, 'truncated', { target: 'batch-item' });
    const { run } = await sync(fixture);
    fake.resetFaults();
    expect(run.state).toBe('failed');
    expect(run.error).toMatch(/not valid JSON|unexpected shape|Google/);
    expect(await records(fixture.districtId)).toEqual(before);
  });

  it('sends Google nothing once the provider is deactivated, even when a run was queued', async () => {
    const fixture = await connectedDistrict({ devices: 60, overlap: 1, junk: 0 });
    const { run } = await queueFor(fixture, 'schedule');
    await fixture.session.inject({ method: 'POST', url: '/api/v1/mdm/providers/google/deactivate' });
    const mark = fake.mark();
    await runSync(
      { db: testApp.database.db, keyring: testApp.deps.keyring, config: testApp.deps.config, log: silentLog },
      run.id,
      fixture.districtId,
      new AbortController().signal,
    );
    expect(fake.requestsSince(mark)).toEqual([]);
    const finished = (
      await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })
    ).json();
    expect(finished.state).toBe('cancelled');
  });
});

/** What the sync engine needs, run directly in the test process as a worker would. */
function engineDeps() {
  return {
    db: testApp.database.db,
    keyring: testApp.deps.keyring,
    config: testApp.deps.config,
    log: silentLog,
  };
}

/** The app with a working job queue of these jobs; close the app and stop the queue when done. */
async function startJobs(definitions: ConstructorParameters<typeof JobQueue>[1]) {
  const queue = new JobQueue(testApp.database, definitions, {
    work: true,
    log: silentLog,
    config: testApp.deps.config,
    keyring: testApp.deps.keyring,
  });
  await queue.start();
  return { queue, appWithJobs: await buildApp({ ...testApp.deps, jobs: queue }) };
}

describe('sync runs through the job queue', () => {
  it('Sync now queues one run at a time; the scheduler leaves deactivated providers alone', async () => {
    const { queue, appWithJobs } = await startJobs([syncJob, scheduleDueSyncs]);
    try {
      const fixture = await connectedDistrict({ devices: 80, overlap: 1, junk: 5 });
      const inject = (options: Parameters<Session['inject']>[0]) =>
        appWithJobs.app.inject({
          ...options,
          headers: { cookie: fixture.session.cookie, 'x-csrf-token': fixture.session.csrfToken },
        });
      // SY-6: a hundred clicks at once make one run and one job.
      const clicks = await Promise.all(
        Array.from({ length: 100 }, () =>
          inject({ method: 'POST', url: '/api/v1/mdm/providers/google/sync' }),
        ),
      );
      const [first] = clicks;
      if (!first) throw new Error('no response');
      expect(clicks.every((click) => click.statusCode === 202)).toBe(true);
      expect(new Set(clicks.map((click) => click.json().id))).toEqual(new Set([first.json().id]));
      const jobs = await sql<{ count: number }>`
        select count(*)::int as count from pgboss.job where name = 'mdm.sync' and data->>'runId' = ${first.json().id}`.execute(
        testApp.database.db,
      );
      expect(jobs.rows[0]?.count).toBe(1);
      const deadline = Date.now() + 30_000;
      let run = first.json();
      while (run.state === 'queued' || run.state === 'running') {
        if (Date.now() > deadline) throw new Error(`the run did not finish: ${JSON.stringify(run)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        run = (await inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })).json();
      }
      expect(run).toMatchObject({ state: 'succeeded', trigger: 'manual' });
      // A first sync rewrote every record of the (never analysed) table: once the run was over, the worker
      // gave the planner statistics for them.
      const statistics = await sql<{ tuples: number }>`
        select reltuples::float8 as tuples from pg_class where oid = 'mdm_device_records'::regclass`.execute(
        testApp.database.db,
      );
      expect(statistics.rows[0]?.tuples).toBeGreaterThan(0);
      const history = (await inject({ method: 'GET', url: '/api/v1/mdm/providers/google/runs' })).json();
      expect(history.runs.map((r: { id: string }) => r.id)).toContain(run.id);

      await inject({ method: 'POST', url: '/api/v1/mdm/providers/google/deactivate' });
      await testApp.database.db
        .updateTable('mdm_connections')
        .set({ next_sync_at: new Date(Date.now() - 3_600_000) })
        .where('id', '=', fixture.connectionId)
        .execute();
      const mark = fake.mark();
      await scheduleDueSyncs.handle(
        {
          database: testApp.database,
          log: silentLog,
          config: testApp.deps.config,
          keyring: testApp.deps.keyring,
          jobs: queue,
        },
        {
          id: 'tick',
          name: 'mdm.schedule',
          data: {},
          expireInSeconds: 60,
          heartbeatSeconds: null,
          retryCount: 0,
          signal: new AbortController().signal,
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(fake.requestsSince(mark)).toEqual([]);
      const open = await testApp.database.db
        .selectFrom('sync_runs')
        .select('id')
        .where('connection_id', '=', fixture.connectionId)
        .where('state', 'in', ['queued', 'running'])
        .execute();
      expect(open).toEqual([]);
    } finally {
      await appWithJobs.app.close();
      await queue.stop();
    }
  });
  it('a queued run that lost its job starts at the next Sync now instead of blocking the connection', async () => {
    const { queue, appWithJobs } = await startJobs([syncJob]);
    try {
      const fixture = await connectedDistrict({ devices: 40, overlap: 1, junk: 0 });
      // Queued without a job, as when the job was turned away or lost.
      const { run: orphan } = await queueFor(fixture, 'schedule');
      const pressed = await appWithJobs.app.inject({
        method: 'POST',
        url: '/api/v1/mdm/providers/google/sync',
        headers: { cookie: fixture.session.cookie, 'x-csrf-token': fixture.session.csrfToken },
      });
      expect(pressed.json().id).toBe(orphan.id);
      const audited = await testApp.database.db
        .selectFrom('audit_events')
        .select(['action', 'subject_id', 'details'])
        .where('district_id', '=', fixture.districtId)
        .where('action', '=', 'mdm.sync_requested')
        .execute();
      expect(audited).toEqual([
        { action: 'mdm.sync_requested', subject_id: 'google', details: { runId: orphan.id } },
      ]);
      const deadline = Date.now() + 30_000;
      let state = 'queued';
      while (state === 'queued' || state === 'running') {
        if (Date.now() > deadline) throw new Error(`the run stayed ${state}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        state = (
          await testApp.database.db
            .selectFrom('sync_runs')
            .select('state')
            .where('id', '=', orphan.id)
            .executeTakeFirstOrThrow()
        ).state;
      }
      expect(state).toBe('succeeded');
    } finally {
      await appWithJobs.app.close();
      await queue.stop();
    }
  });
});

describe('queueing a run', () => {
  it('Sync now pressed as the open run ends gets a run, and the connection keeps one open run', async () => {
    const fixture = await connectedDistrict({ devices: 20, overlap: 1, junk: 0 });
    for (let round = 0; round < 25; round++) {
      const { run: open } = await queueFor(fixture, 'manual');
      // The presses race the open run's end: each either joins it or, once it has ended, queues the next.
      const [, ...pressed] = await Promise.all([
        finishRun(testApp.database.db, open.id, { state: 'succeeded', counters: EMPTY_COUNTERS }),
        ...Array.from({ length: 6 }, () => queueFor(fixture, 'manual')),
      ]);
      const stillOpen = await testApp.database.db
        .selectFrom('sync_runs')
        .select('id')
        .where('connection_id', '=', fixture.connectionId)
        .where('state', 'in', ['queued', 'running'])
        .execute();
      expect(stillOpen.length).toBeLessThanOrEqual(1);
      for (const { run } of pressed) expect([open.id, ...stillOpen.map((row) => row.id)]).toContain(run.id);
      if (stillOpen[0])
        await finishRun(testApp.database.db, stillOpen[0].id, {
          state: 'cancelled',
          counters: EMPTY_COUNTERS,
        });
    }
  });
});

describe('interrupted runs', () => {
  it('resume from their checkpoint without re-requesting finished pages, ending with the records of an uninterrupted run', async () => {
    const fixture = await connectedDistrict({ devices: 1300, overlap: 0.5, junk: 30 });
    const deps = engineDeps();
    const snapshot = async () =>
      (await records(fixture.districtId))
        .map((row) => `${row.device_id}:${row.provider_device_id}:${row.content_hash}:${row.match_state}`)
        .sort();

    const reference = await sync(fixture);
    expect(reference.run.strategy).toBe('batch_lookup');
    expect(reference.run.counters.pages).toBe(2);
    const expected = await snapshot();
    await testApp.database.db
      .deleteFrom('mdm_device_records')
      .where('district_id', '=', fixture.districtId)
      .execute();

    fake.latencyMs = 1000;
    const { run } = await queueFor(fixture, 'manual');
    const crash = new AbortController();
    const interrupted = runSync(deps, run.id, fixture.districtId, crash.signal);
    for (;;) {
      const progress = await testApp.database.db
        .selectFrom('sync_runs')
        .select('counters')
        .where('id', '=', run.id)
        .executeTakeFirstOrThrow();
      if (Number(progress.counters.pages) >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    crash.abort();
    await expect(interrupted).rejects.toThrow();
    const stopped = await testApp.database.db
      .selectFrom('sync_runs')
      .select(['state', 'checkpoint'])
      .where('id', '=', run.id)
      .executeTakeFirstOrThrow();
    expect(stopped.state).toBe('running');
    expect(stopped.checkpoint?.cursor).toEqual(expect.any(String));
    fake.latencyMs = 0;
    // The fake logs a request when it answers it; let the abandoned prefetch finish before counting.
    await new Promise((resolve) => setTimeout(resolve, 1200));

    const mark = fake.mark();
    await runSync(deps, run.id, fixture.districtId, new AbortController().signal);
    // Only the second batch of lookups is sent again: the first was checkpointed with its page.
    const resumed = fake.requestsSince(mark);
    expect(resumed.filter((entry) => entry.operation === 'batch')).toHaveLength(1);
    const askedAgain = resumed.filter((entry) => entry.inner).flatMap((entry) => entry.serials ?? []);
    expect(askedAgain).toHaveLength(fixture.tracked.length - 1000);
    const finished = (
      await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })
    ).json();
    expect(finished.state).toBe('succeeded');
    expect(await snapshot()).toEqual(expected);
  });
});

describe('token refresh', () => {
  it.each([
    ['batch_lookup', 'batch'],
    ['full_listing', 'directory.chromeosdevices.list'],
  ])(
    '50 concurrent calls (%s) holding an expired access token cause exactly one refresh',
    async (strategy, operation) => {
      const fixture = await connectedDistrict({ devices: 30, overlap: 1, junk: 0 });
      await sync(fixture);
      fake.expireAccessTokens();
      const connection = await testApp.database.db
        .selectFrom('mdm_connections')
        .select(['id', 'secret', 'settings'])
        .where('id', '=', fixture.connectionId)
        .executeTakeFirstOrThrow();
      const secret = decryptSecret(testApp.deps.keyring, connection.secret!, {
        table: 'mdm_connections',
        rowId: connection.id,
        districtId: fixture.districtId,
        field: 'secret',
      });
      const mark = fake.mark();
      const deps = { config: testApp.deps.config, log: silentLog };
      const keys = fixture.tracked.map((device) => device.serialKey);
      await Promise.all(
        Array.from({ length: 50 }, () =>
          google.sync.fetchPage(deps, {
            secret,
            settings: google.settings.parse(connection.settings),
            strategy,
            changedSince: null,
            trackedSerialKeys: keys,
            cursor: null,
            signal: new AbortController().signal,
          }),
        ),
      );
      const calls = fake.requestsSince(mark);
      expect(calls.filter((entry) => entry.kind === 'token')).toHaveLength(1);
      // Each call was refused once with the dead token, then succeeded with the one refreshed token.
      const sent = calls.filter((entry) => entry.operation === operation && !entry.inner);
      expect(sent).toHaveLength(100);
      expect(calls.filter((entry) => entry.status === 401).length).toBeGreaterThan(0);
    },
  );
});

describe('what is stored from Google (PV-1)', () => {
  it('is exactly the allowlisted fields, asked for by partial response', async () => {
    expect(LIST_FIELDS).toMatchInlineSnapshot(
      `"nextPageToken,chromeosdevices(deviceId,serialNumber,status,lastSync,osVersion,platformVersion,firmwareVersion,bootMode,model,orgUnitPath,annotatedUser,annotatedAssetId,annotatedLocation,recentUsers,lastKnownNetwork,macAddress,ethernetMacAddress,lastEnrollmentTime,autoUpdateThrough,autoUpdateExpiration,diskVolumeReports,systemRamTotal,chromeOsType)"`,
    );
    const fixture = await connectedDistrict({ devices: 30, overlap: 1, junk: 0 });
    await sync(fixture);
    const stored = (await records(fixture.districtId)).filter((record) => record.match_state === 'matched');
    expect(stored.length).toBeGreaterThan(0);
    const fieldKeys = new Set(stored.flatMap((record) => Object.keys(record.fields)));
    const extraKeys = new Set(stored.flatMap((record) => Object.keys(record.extras)));
    // Google has no compliance state, lost mode or supervision: those normalized fields are left out.
    const googleFields = Object.entries(NormalizedFields.shape)
      .filter(([, schema]) => !schema.safeParse(undefined).success)
      .map(([key]) => key);
    expect([...fieldKeys].sort()).toEqual(googleFields.sort());
    const allowedExtras = [
      'annotatedAssetId',
      'annotatedLocation',
      'annotatedUser',
      'bootMode',
      'duplicateDeviceIds',
      'firmwareVersion',
      'lastKnownNetwork',
      'platformVersion',
      'systemRamTotal',
    ];
    expect([...extraKeys].filter((key) => !allowedExtras.includes(key))).toEqual([]);
    for (const record of stored)
      expect((record.fields.recentUsers as string[]).length).toBeLessThanOrEqual(MAX_RECENT_USERS);
  });
});

describe('call budget', () => {
  it('stops a run that reaches its budget, with a clear error and no not-found marking', async () => {
    const fixture = await connectedDistrict({ devices: 1300, overlap: 0.5, junk: 10 });
    await fixture.session.inject({
      method: 'PATCH',
      url: '/api/v1/mdm/providers/google/settings',
      payload: { settings: { callBudget: 2 } },
    });
    const { run } = await sync(fixture);
    expect(run).toMatchObject({ state: 'failed', error: expect.stringMatching(/budget of 2 API calls/) });
    expect(run.counters.notFound).toBe(0);
    const stored = await records(fixture.districtId);
    expect(stored.filter((record) => record.match_state === 'not_found')).toEqual([]);
    const tile = (
      await fixture.session.inject({ method: 'GET', url: '/api/v1/mdm/providers/google' })
    ).json();
    expect(tile).toMatchObject({ state: 'error', statusReason: expect.stringMatching(/budget/) });
  });
});

describe('recent users (privacy)', () => {
  it('keeps none when the district sets the limit to 0, and at most the limit otherwise', async () => {
    const fixture = await connectedDistrict({ devices: 40, overlap: 1, junk: 0 });
    await fixture.session.inject({
      method: 'PATCH',
      url: '/api/v1/mdm/providers/google/settings',
      payload: { settings: { recentUsersKept: 2 } },
    });
    await sync(fixture);
    const kept = (await records(fixture.districtId)).filter((record) => record.match_state === 'matched');
    expect(kept.some((record) => (record.fields.recentUsers as string[]).length === 2)).toBe(true);
    expect(kept.every((record) => (record.fields.recentUsers as string[]).length <= 2)).toBe(true);
    await fixture.session.inject({
      method: 'PATCH',
      url: '/api/v1/mdm/providers/google/settings',
      payload: { settings: { recentUsersKept: 0 } },
    });
    await sync(fixture);
    const none = (await records(fixture.districtId)).filter((record) => record.match_state === 'matched');
    expect(none.every((record) => (record.fields.recentUsers as string[]).length === 0)).toBe(true);
  });
});

describe('giving way to smaller districts', () => {
  it('pauses between pages while a smaller run is under way, sending Google nothing meanwhile', async () => {
    const fixture = await connectedDistrict({ devices: 3300, overlap: 0.8, junk: 0 });
    const batches = () => fake.requests.filter((entry) => entry.kind === 'batch').length;
    const before = batches();
    // The smaller run is under way for the first four looks; the batches sent meanwhile are noted each time.
    const seen: number[] = [];
    const deps = {
      ...engineDeps(),
      smallerRunning: async () => {
        seen.push(batches() - before);
        return seen.length <= 4;
      },
    };
    const { run } = await queueFor(fixture, 'manual');
    await runSync(deps, run.id, fixture.districtId, new AbortController().signal);
    // First page in, then four looks with no second request, then the rest of the run.
    expect(seen.slice(0, 5)).toEqual([1, 1, 1, 1, 1]);
    expect(seen.length).toBeGreaterThan(5);
    const finished = (
      await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })
    ).json();
    expect(finished).toMatchObject({ state: 'succeeded' });
    const matched = (await records(fixture.districtId)).filter((record) => record.match_state === 'matched');
    expect(matched.length).toBe(finished.counters.matched);
    expect(finished.counters.matched).toBeGreaterThan(2000);
  });
});

describe('deactivating during a run', () => {
  it('stops the run at its next page boundary; Google hears nothing after that', async () => {
    const fixture = await connectedDistrict({ devices: 4300, overlap: 0.5, junk: 0 });
    const batches = Math.ceil(fixture.tracked.length / 1000);
    expect(batches).toBeGreaterThanOrEqual(3);
    const deps = engineDeps();
    const { run } = await queueFor(fixture, 'manual');
    const batchesAsked = () => fake.requests.filter((entry) => entry.kind === 'batch').length;
    const before = batchesAsked();
    // The first batch is answered; the second, sent while the first page is written, waits: the run is caught
    // between pages whatever the machine's speed.
    const release = fake.holdAnswers(1, ['batch']);
    try {
      const running = runSync(deps, run.id, fixture.districtId, new AbortController().signal);
      for (;;) {
        const progress = await testApp.database.db
          .selectFrom('sync_runs')
          .select('counters')
          .where('id', '=', run.id)
          .executeTakeFirstOrThrow();
        if (Number(progress.counters.pages) >= 1 && batchesAsked() - before >= 2) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await fixture.session.inject({ method: 'POST', url: '/api/v1/mdm/providers/google/deactivate' });
      const mark = fake.mark();
      release();
      await running;
      // The second page arrives, finds the provider deactivated, and no further request leaves.
      expect(fake.requestsSince(mark).filter((entry) => !entry.inner)).toEqual([]);
      expect(batchesAsked() - before).toBe(2);
      const finished = (
        await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })
      ).json();
      expect(finished).toMatchObject({ state: 'cancelled', error: expect.stringMatching(/deactivated/) });
      expect(finished.counters.pages).toBe(2);
      const notFound = (await records(fixture.districtId)).filter(
        (record) => record.match_state === 'not_found',
      );
      expect(notFound).toEqual([]);
    } finally {
      release();
    }
  });

  it('sends nothing once the provider is deactivated while a request waits for its turn', async () => {
    const fixture = await connectedDistrict({ devices: 60, overlap: 1, junk: 0 });
    const deps = engineDeps();
    const { run } = await queueFor(fixture, 'manual');
    // Another worker heard "too many requests": every Google request waits a second and a half for its turn.
    const other = new SharedRateLimiter(
      testApp.database.db,
      'google',
      googleConfig(testApp.deps.config).quotaPerMinute,
    );
    await other.acquire(AbortSignal.timeout(5_000));
    await other.slowDown(1500);
    const mark = fake.mark();
    const running = runSync(deps, run.id, fixture.districtId, new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await fixture.session.inject({ method: 'POST', url: '/api/v1/mdm/providers/google/deactivate' });
    await running;
    expect(
      fake.requestsSince(mark).filter((entry) => entry.kind === 'api' || entry.kind === 'batch'),
    ).toEqual([]);
    const finished = (
      await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })
    ).json();
    expect(finished).toMatchObject({ state: 'cancelled', error: expect.stringMatching(/deactivated/) });
  });
});

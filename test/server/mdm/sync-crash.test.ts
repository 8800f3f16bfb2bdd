import { once } from 'node:events';
import fc from 'fast-check';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { FakeGoogle } from '../../../fakes/google/index.ts';
import { runSync } from '../../../src/server/mdm/sync/engine.ts';
import { silentLog, type TestApp } from '../../setup/app.ts';
import { withGoogleApp } from '../../setup/google.ts';
import { type Fixture, syncHarness } from '../../setup/google-sync.ts';

let fake: FakeGoogle;
let testApp: TestApp;
withGoogleApp((env) => {
  ({ fake, testApp } = env);
});

const { connectedDistrict, queue, runQueued, spawnRunWorker, sync, records } = syncHarness(() => ({
  fake,
  testApp,
}));

/** SY-1: how many killed-and-restarted runs to try (`npm run soak` asks for 1,000). */
const RUNS = Number(process.env.SYNC_CRASH_RUNS ?? 200);
const PAGE_SIZE = 20;

/** Kills the run just before its n-th database statement: the process "dies" there, mid-await. */
class CrashBeforeStatement implements KyselyPlugin {
  #seen = 0;
  readonly #at: number;
  readonly #crash: AbortController;
  constructor(at: number, crash: AbortController) {
    this.#at = at;
    this.#crash = crash;
  }
  transformQuery(args: PluginTransformQueryArgs) {
    this.#seen++;
    if (this.#seen === this.#at) {
      this.#crash.abort(new Error('killed'));
      throw new Error(`killed before statement ${this.#at}`);
    }
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

type Kill = { kind: 'statement'; at: number } | { kind: 'timer'; afterMs: number };

const killArb: fc.Arbitrary<Kill> = fc.oneof(
  fc.record({ kind: fc.constant('statement' as const), at: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('timer' as const), afterMs: fc.integer({ min: 0, max: 250 }) }),
);

async function snapshot(districtId: string) {
  return (await records(districtId))
    .map((row) => `${row.device_id}:${row.provider_device_id}:${row.content_hash}:${row.match_state}`)
    .sort();
}

/** Runs the queued run under a sequence of kills, restarting after each as a retried job would. */
async function runWithKills(fixture: Fixture, runId: string, kills: Kill[]): Promise<number> {
  let killed = 0;
  for (const kill of [...kills, null]) {
    const crash = new AbortController();
    const db =
      kill?.kind === 'statement'
        ? testApp.database.db.withPlugin(new CrashBeforeStatement(kill.at, crash))
        : testApp.database.db;
    const timer =
      kill?.kind === 'timer' ? setTimeout(() => crash.abort(new Error('killed')), kill.afterMs) : undefined;
    try {
      await runSync(
        { db, keyring: testApp.deps.keyring, config: testApp.deps.config, log: silentLog },
        runId,
        fixture.districtId,
        crash.signal,
      );
      clearTimeout(timer);
      const state = await testApp.database.db
        .selectFrom('sync_runs')
        .select('state')
        .where('id', '=', runId)
        .executeTakeFirstOrThrow();
      if (state.state === 'succeeded') return killed;
      expect(state.state).toBe('running');
    } catch (error) {
      clearTimeout(timer);
      // Only a kill may stop a run without an outcome.
      expect(crash.signal.aborted, String(error)).toBe(true);
    }
    killed++;
  }
  throw new Error('the run did not finish after its last restart');
}

describe('crash equivalence (SY-1)', () => {
  it(
    `a run killed at random points and restarted ends with exactly the records and counts of an uninterrupted one (${RUNS} runs)`,
    async () => {
      const fixture = await connectedDistrict({ devices: 1200, overlap: 0.1, junk: 20 });
      fake.pageSizeCap = PAGE_SIZE;
      try {
        const reference = await sync(fixture);
        expect(reference.run.strategy).toBe('full_listing');
        expect(reference.run.counters.pages).toBeGreaterThanOrEqual(6);
        const expected = await snapshot(fixture.districtId);
        let kills = 0;

        await fc.assert(
          fc.asyncProperty(fc.array(killArb, { minLength: 1, maxLength: 3 }), async (plan) => {
            await testApp.database.db
              .deleteFrom('mdm_device_records')
              .where('district_id', '=', fixture.districtId)
              .execute();
            const run = await queue(fixture);
            kills += await runWithKills(fixture, run.id, plan);
            const finished = (
              await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })
            ).json();
            expect(finished.state).toBe('succeeded');
            expect(await snapshot(fixture.districtId)).toEqual(expected);
            for (const counter of ['matched', 'notFound', 'unmatchedProviderDevices', 'pages'] as const)
              expect(finished.counters[counter], counter).toBe(reference.run.counters[counter]);
          }),
          { numRuns: RUNS },
        );
        // The kills must really have landed mid-run for the property to mean anything.
        expect(kills).toBeGreaterThan(RUNS / 2);
      } finally {
        fake.pageSizeCap = 300;
      }
    },
    RUNS * 3000,
  );
});

describe('crash equivalence of an incremental run', () => {
  it('an incremental run killed and restarted ends with exactly the records and counts of an uninterrupted one', async () => {
    const fixture = await connectedDistrict({ devices: 1200, overlap: 0.5, junk: 20 });
    const full = await sync(fixture);
    expect(full.run.state).toBe('succeeded');
    // A hundred devices change in Google: tracked ones, untracked ones (retired in Satchel) and junk.
    const now = new Date().toISOString();
    for (const device of fake.devices(fixture.domain).slice(0, 100))
      fake.updateDevice(fixture.domain, String(device.deviceId), { lastSync: now, osVersion: '201.0.0.1' });
    fake.pageSizeCap = PAGE_SIZE;
    try {
      const clear = () =>
        testApp.database.db
          .deleteFrom('mdm_device_records')
          .where('district_id', '=', fixture.districtId)
          .execute();
      // Each run starts from no records, so each stores exactly what its listing matched.
      await clear();
      const reference = await sync(fixture, 'schedule');
      expect(reference.run.strategy).toBe('incremental_listing');
      expect(reference.run.counters.pages).toBeGreaterThanOrEqual(5);
      expect(reference.run.counters.matched).toBeGreaterThan(0);
      const expected = await snapshot(fixture.districtId);
      let kills = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(killArb, { minLength: 1, maxLength: 3 }), async (plan) => {
          await clear();
          const run = await queue(fixture, 'schedule');
          kills += await runWithKills(fixture, run.id, plan);
          const finished = (
            await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })
          ).json();
          expect(finished).toMatchObject({ state: 'succeeded', strategy: 'incremental_listing' });
          expect(await snapshot(fixture.districtId)).toEqual(expected);
          for (const counter of ['considered', 'matched', 'unmatchedProviderDevices', 'pages'] as const)
            expect(finished.counters[counter], counter).toBe(reference.run.counters[counter]);
        }),
        { numRuns: 40 },
      );
      // The kills must really have landed mid-run (a short run ends before some of them).
      expect(kills).toBeGreaterThan(10);
    } finally {
      fake.pageSizeCap = 300;
    }
  }, 120_000);
});

describe('a worker process killed for real', () => {
  it('loses at most the page in hand: the run resumes from its checkpoint to the records of an uninterrupted run', async (context) => {
    // Embedded PGlite belongs to one process; a second worker process needs PostgreSQL.
    if (!testApp.database.url) context.skip();
    const fixture = await connectedDistrict({ devices: 1200, overlap: 0.1, junk: 20 });
    fake.pageSizeCap = PAGE_SIZE;
    try {
      const reference = await sync(fixture);
      const pages = Number(reference.run.counters.pages);
      const expected = await snapshot(fixture.districtId);
      fake.latencyMs = 40;
      for (const killAfter of fc.sample(fc.integer({ min: 1, max: pages - 2 }), { numRuns: 4, seed: 42 })) {
        await testApp.database.db
          .deleteFrom('mdm_device_records')
          .where('district_id', '=', fixture.districtId)
          .execute();
        const run = await queue(fixture);
        const worker = spawnRunWorker(fixture, run.id);
        const exited = once(worker, 'exit');
        for (;;) {
          const progress = await testApp.database.db
            .selectFrom('sync_runs')
            .select('counters')
            .where('id', '=', run.id)
            .executeTakeFirstOrThrow();
          if (Number(progress.counters.pages) >= killAfter) break;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        worker.kill('SIGKILL');
        const [, signal] = await exited;
        expect(signal).toBe('SIGKILL');
        const stopped = await testApp.database.db
          .selectFrom('sync_runs')
          .select(['state', 'counters'])
          .where('id', '=', run.id)
          .executeTakeFirstOrThrow();
        expect(stopped.state).toBe('running');
        expect(Number(stopped.counters.pages)).toBeLessThan(pages);

        await runQueued(fixture, run.id);
        const finished = (
          await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })
        ).json();
        expect(finished.state).toBe('succeeded');
        expect(await snapshot(fixture.districtId)).toEqual(expected);
        expect(finished.counters.unmatchedProviderDevices).toBe(
          reference.run.counters.unmatchedProviderDevices,
        );
      }
    } finally {
      fake.pageSizeCap = 300;
      fake.latencyMs = 0;
    }
  }, 120_000);
});

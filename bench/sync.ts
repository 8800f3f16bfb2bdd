import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { DEFAULT_SYNCED_STATUSES, REQUEST_SCOPES, type RequestScope } from '../src/common/mdm.ts';
import { systemContext } from '../src/server/context.ts';
import { migrateToLatest } from '../src/server/db/connect.ts';
import { createDistrictWithAdmin } from '../src/server/districts/service.ts';
import { generateDemoData } from '../src/server/inventory/demo-data.ts';
import { listTrackableDevices } from '../src/server/inventory/index.ts';
import { connectProvider } from './connect-provider.ts';
import type { BenchFleet, RunningFake } from './providers/adapter.ts';
import { providerBench } from './providers/index.ts';
import { type MeasuredRun, printRuns, type RunReport } from './sync-table.ts';
import {
  control,
  createTarget,
  postgresUrl,
  runChild,
  setupApp,
  type Target,
  type TargetKind,
} from './targets.ts';

/**
 * `npm run bench -- sync [--provider google] [--scope fewest_calls]`: a district with 100,000 tracked
 * devices and the provider's fake (its own process) with a fleet of 150,000, 50,000 of them outside the
 * inventory. For PGlite and PostgreSQL, at 0 and 100 ms latency per request: a first full sync, an unchanged
 * re-sync and, where the provider can list only what changed, an incremental sync with 1% of the fleet
 * changed, each run in a worker process of its own.
 */
const { values: flags } = parseArgs({
  args: process.argv.slice(3),
  options: { provider: { type: 'string' }, scope: { type: 'string' } },
});
const provider = providerBench(flags.provider ?? process.env.BENCH_PROVIDER ?? 'google');
/**
 * The request scope the connection syncs under. Connections default to `tracked_only`; the benchmark defaults
 * to `fewest_calls`, under which its earlier figures were measured, so they stay comparable.
 */
const DEFAULT_SCOPE: RequestScope = 'fewest_calls';
const SCOPE = (flags.scope ?? process.env.BENCH_SCOPE ?? DEFAULT_SCOPE) as RequestScope;
if (!REQUEST_SCOPES.includes(SCOPE)) throw new Error(`--scope must be one of ${REQUEST_SCOPES.join(', ')}`);
const TRACKED = Number(process.env.BENCH_TRACKED ?? 100_000);
const STRANGERS = Number(process.env.BENCH_STRANGERS ?? Math.round(TRACKED / 2));
const LATENCIES = (process.env.BENCH_LATENCIES ?? '0,100').split(',').map(Number);
const CHANGED_SHARE = 0.01;
/** `BENCH_INCREMENTAL_RUNS=n` repeats the incremental sync n times (1% changed before each), one row each. */
const INCREMENTAL_RUNS = Math.max(1, Number(process.env.BENCH_INCREMENTAL_RUNS ?? 1));
/**
 * Incremental runs a "worker in service" has done before the measured one. The first run in a process loads
 * the provider client's HTTP stack and compiles the run's code; PGlite compiles its busiest functions as they
 * get busy, one at a time on the worker's thread (`--wasm-sync-tier-up`), which after one run still cost
 * 20 ms here and there. After three, a run no longer paid for any.
 */
const WARM_UP_RUNS = 3;
const PUBLIC_URL = 'https://satchel.bench.example.org';
const PASSWORD = 'benchmark password';
const log = pino({ level: 'silent' });
/** Share of demo devices in a synced status (all but retired and disposed). */
const TRACKED_SHARE = 0.95;

/** A district with its inventory loaded, on a fresh database. */
async function createDistrict(kind: TargetKind, dataDir: string) {
  const target = await createTarget(kind, dataDir, 'sync');
  const database = await target.open();
  await migrateToLatest(database.db);
  const email = `bench-${randomBytes(4).toString('hex')}@example.org`;
  const { districtId } = await createDistrictWithAdmin(
    database.db,
    { districtName: 'Bench Unified', adminName: 'Bench', adminEmail: email, adminPassword: PASSWORD },
    { label: 'bench', ip: null, log },
  );
  await generateDemoData(database.db, districtId, {
    devices: Math.round(TRACKED / TRACKED_SHARE),
    people: Math.round(TRACKED * 0.8),
    seed: 1,
  });
  // As autovacuum would after such a load (a server may have it off; PGlite has none): statistics, and the
  // visibility map that lets counts and the tracked list be read from an index alone.
  await sql`vacuum analyze`.execute(database.db);
  const tracked = await listTrackableDevices(
    systemContext(districtId, log),
    database.db,
    DEFAULT_SYNCED_STATUSES,
  );
  return {
    target,
    database,
    districtId,
    email,
    trackedSerialKeys: tracked.map((device) => device.serialKey),
  };
}

/** The provider's fake with a fleet around the tracked devices, and the district connected to it. */
async function connectFake(
  district: Awaited<ReturnType<typeof createDistrict>>,
  dataDir: string,
): Promise<{ fleet: BenchFleet; fake: RunningFake; environment: Record<string, string> }> {
  const junk = Math.round(STRANGERS / 50);
  const fleet = await provider.writeFleet(dataDir, {
    trackedSerialKeys: district.trackedSerialKeys,
    strangers: STRANGERS,
    junk,
    seed: 7,
    // Every device checked in at least two days ago, so an incremental pass sees only what changes.
    checkedInBefore: new Date(Date.now() - 2 * 24 * 3600_000),
  });
  const fake = await provider.startFake(fleet, PUBLIC_URL);
  const secretKey = randomBytes(32);
  const environment = {
    ...fake.environment,
    PUBLIC_URL,
    SATCHEL_SECRET_KEY: secretKey.toString('base64'),
  };
  const app = await setupApp(district.database, environment, secretKey, dataDir);
  await connectProvider(app, provider, fake, {
    email: district.email,
    password: PASSWORD,
    requestScope: SCOPE,
  });
  await app.close();
  return { fleet, fake, environment };
}

/** Runs syncs, each in a worker process of its own, on the connected district. */
function syncRunner(
  target: Target,
  districtId: string,
  fake: RunningFake,
  environment: Record<string, string>,
  dataDir: string,
) {
  const run = async (trigger: string, reset: boolean, extra: Record<string, string> = {}) => {
    const childEnvironment = {
      ...environment,
      FAKE_CONTROL: fake.origin,
      BENCH_PROVIDER: provider.key,
      BENCH_KIND: target.kind,
      BENCH_LOCATION: target.location,
      BENCH_DISTRICT: districtId,
      BENCH_TRIGGER: trigger,
      BENCH_RESET: reset ? '1' : '0',
      ...extra,
    };
    await runChild('sync-child.ts', { ...childEnvironment, BENCH_PREPARE: '1' });
    // The fake's own garbage from the last run (a heap of cached answers, say) is collected now, not on the
    // cores the run is measured on.
    await provider.collectGarbage?.(fake.origin);
    return runChild<RunReport>('sync-child.ts', childEnvironment);
  };
  return {
    first: () => run('manual', true),
    unchanged: () => run('manual', false),
    incremental: () => run('schedule', false),
    /**
     * An incremental run in a worker that has synced before, as one in service has: the process loaded and
     * compiled what a run needs during unmeasured incremental runs of its own, each after a change (`tags`,
     * one per run and the last for the measured one).
     */
    async incrementalInService(deviceIds: readonly string[], tags: string[]) {
      const warmUpFile = path.join(dataDir, 'warm-up.json');
      await writeFile(warmUpFile, JSON.stringify({ deviceIds, tags }));
      return run('schedule', false, { BENCH_WARM_UP: warmUpFile });
    },
  };
}

/** Every run at one latency: first, unchanged and, where the provider lists changes, incremental. */
async function runsAt(
  latencyMs: number,
  runner: ReturnType<typeof syncRunner>,
  fake: RunningFake,
  changing: readonly string[],
): Promise<MeasuredRun[]> {
  const runs: MeasuredRun[] = [
    { latencyMs, label: 'first full sync', report: await runner.first() },
    { latencyMs, label: 'unchanged re-sync', report: await runner.unchanged() },
  ];
  const changeDevices = provider.changeDevices;
  if (!changeDevices) return runs;
  for (let repeat = 0; repeat < INCREMENTAL_RUNS; repeat++) {
    const label = (worker: string) =>
      `incremental, ${CHANGED_SHARE * 100}% changed (${worker}${INCREMENTAL_RUNS > 1 ? `, ${repeat + 1}` : ''})`;
    const tag = `${140 + latencyMs}.${repeat}`;
    await changeDevices(fake.origin, changing, tag);
    runs.push({ latencyMs, label: label('new process'), report: await runner.incremental() });
    const tags = Array.from({ length: WARM_UP_RUNS + 1 }, (_, index) => `${tag}.${index + 1}`);
    runs.push({
      latencyMs,
      label: label('worker in service'),
      report: await runner.incrementalInService(changing, tags),
    });
  }
  return runs;
}

function scopeNote(): string {
  return SCOPE === DEFAULT_SCOPE
    ? `request scope ${SCOPE} (the benchmark's default, under which its earlier figures were measured; connections default to tracked_only)`
    : `request scope ${SCOPE}`;
}

async function measure(kind: TargetKind): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'satchel-bench-sync-'));
  const district = await createDistrict(kind, dataDir);
  const { fleet, fake, environment } = await connectFake(district, dataDir);
  await district.database.close();
  const tracked = district.trackedSerialKeys.length;
  console.log(
    `\n${kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL'} — ${tracked} tracked devices, ${provider.name} fleet of ${fleet.size} (${STRANGERS} outside the inventory); ${scopeNote()}`,
  );
  const changing = fleet.deviceIds.filter((_, index) => index % Math.round(1 / CHANGED_SHARE) === 0);
  const runner = syncRunner(district.target, district.districtId, fake, environment, dataDir);
  const runs: MeasuredRun[] = [];
  for (const latency of LATENCIES) {
    await control(fake.origin, 'latency', { ms: latency });
    runs.push(...(await runsAt(latency, runner, fake, changing)));
  }
  for (const { label, report } of runs)
    if (report.run.state !== 'succeeded')
      throw new Error(`${label}: ${report.run.state} ${report.run.error}`);
  printRuns(provider, { tracked, fleet: fleet.size, changed: changing.length }, runs);
  if (process.env.BENCH_MEMORY)
    for (const { latencyMs, label, report } of runs) {
      console.log(`  memory at peak RSS, ${latencyMs} ms ${label}: ${JSON.stringify(report.atPeakMb)}`);
      console.log(`  CPU seconds by process, ${latencyMs} ms ${label}: ${JSON.stringify(report.cpuBy)}`);
    }
  fake.stop();
  // BENCH_KEEP=1 leaves the database (and PGlite's data directory) in place for a closer look.
  if (process.env.BENCH_KEEP) {
    console.log(`  kept: ${district.target.location} (data directory ${dataDir})`);
    return;
  }
  await district.target.drop();
  await rm(dataDir, { recursive: true, force: true });
}

/** `BENCH_DATABASES=postgres` measures one of them only. */
const wanted = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',');
if (wanted.includes('pglite')) await measure('pglite');
if (wanted.includes('postgres')) {
  if (postgresUrl) await measure('postgres');
  else console.log('\nPostgreSQL: set TEST_DATABASE_URL (or BENCH_DATABASE_URL) to measure it too');
}

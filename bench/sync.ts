import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { type FakeChromeDevice, generateFleet } from '../fakes/google/index.ts';
import { DEFAULT_SYNCED_STATUSES } from '../src/common/mdm.ts';
import type { buildApp } from '../src/server/app.ts';
import { systemContext } from '../src/server/context.ts';
import { migrateToLatest } from '../src/server/db/connect.ts';
import { createDistrictWithAdmin } from '../src/server/districts/service.ts';
import { generateDemoData } from '../src/server/inventory/demo-data.ts';
import { listTrackableDevices } from '../src/server/inventory/index.ts';
import {
  control,
  createTarget,
  postgresUrl,
  profileArgs,
  runChild,
  setupApp,
  type TargetKind,
} from './targets.ts';

/**
 * `npm run bench -- sync`: a district with 100,000 tracked devices and a fake Google (its own process) with a
 * fleet of 150,000, 50,000 of them outside the inventory. For PGlite and PostgreSQL, at 0 and 100 ms latency
 * per request: a first full sync, an unchanged re-sync and an incremental sync with 1% of the fleet changed,
 * each run in a worker process of its own.
 */
const TRACKED = Number(process.env.BENCH_TRACKED ?? 100_000);
const STRANGERS = Number(process.env.BENCH_STRANGERS ?? Math.round(TRACKED / 2));
const LATENCIES = (process.env.BENCH_LATENCIES ?? '0,100').split(',').map(Number);
const CHANGED_SHARE = 0.01;
/** `BENCH_INCREMENTAL_RUNS=n` repeats the incremental sync n times (1% changed again before each), one row each. */
const INCREMENTAL_RUNS = Math.max(1, Number(process.env.BENCH_INCREMENTAL_RUNS ?? 1));
/**
 * Incremental runs a "worker in service" has done before the measured one. The first run in a process loads
 * the Google client's HTTP stack and compiles the run's code; PGlite compiles its busiest functions as they
 * get busy, one at a time on the worker's thread (`--wasm-sync-tier-up`), which after one run still cost
 * 20 ms here and there. After three, a run no longer paid for any.
 */
const WARM_UP_RUNS = 3;
const DOMAIN = 'bench.example.org';
const PUBLIC_URL = 'https://satchel.bench.example.org';
const CALLBACK = `${PUBLIC_URL}/api/v1/mdm/providers/google/oauth/callback`;
const PASSWORD = 'benchmark password';
const log = pino({ level: 'silent' });
/** Share of demo devices in a synced status (all but retired and disposed). */
const TRACKED_SHARE = 0.95;

interface RunReport {
  seconds: number;
  statisticsSeconds: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  heapPeakMb: number;
  atPeakMb: Record<string, number>;
  cpuBy: Record<string, number>;
  written: number;
  cpuSeconds: number;
  machineCpuSeconds: number;
  providerRequests: number;
  providerServiceSeconds: number;
  run: {
    state: string;
    error: string | null;
    strategy: string;
    estimate: { apiCalls: number; fleetSize: number | null; changedCount: number | null };
    counters: Record<string, number>;
  };
}

async function writeFleet(file: string, devices: FakeChromeDevice[]): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`{"domain":${JSON.stringify(DOMAIN)},"size":${devices.length},"devices":[\n`);
  for (let index = 0; index < devices.length; index++)
    await write(`${JSON.stringify(devices[index])}${index < devices.length - 1 ? ',' : ''}\n`);
  await write(']}\n');
  out.end();
  await once(out, 'finish');
}

/** The fake Google in a process of its own; resolves with the environment that points Satchel at it. */
async function startFake(
  fleetFile: string,
): Promise<{ child: ChildProcess; environment: Record<string, string> }> {
  const child = spawn(
    process.execPath,
    [
      // Settled between runs (`collect-garbage`).
      '--expose-gc',
      ...profileArgs(),
      path.resolve(import.meta.dirname, '../fakes/run.ts'),
      'google',
      '--port',
      '0',
      '--fleet',
      fleetFile,
      '--redirect-uri',
      CALLBACK,
      // Nothing reads the request log here: a short one keeps the fake's own memory out of the figures.
      '--log',
      '5000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  for await (const chunk of child.stdout!) {
    output += chunk;
    if (/GOOGLE_CLIENT_SECRET=\S+/.test(output)) break;
  }
  const environment = Object.fromEntries(
    [...output.matchAll(/^(GOOGLE_[A-Z_]+)=(\S+)$/gm)].map((match) => [match[1]!, match[2]!]),
  );
  const control = new URL(environment.GOOGLE_OAUTH_TOKEN_URL!).origin;
  return { child, environment: { ...environment, FAKE_CONTROL: control } };
}

/** Signs in as the district admin, activates Google and authorizes it on the fake consent screen. */
async function authorize(
  app: Awaited<ReturnType<typeof buildApp>>['app'],
  email: string,
  fakeOrigin: string,
): Promise<void> {
  const signIn = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password: PASSWORD },
  });
  const cookie = signIn.cookies.find((entry) => entry.name.endsWith('satchel_session'))!;
  const headers = { cookie: `${cookie.name}=${cookie.value}`, 'x-csrf-token': signIn.json().csrfToken };
  await app.inject({
    method: 'POST',
    url: '/api/v1/mdm/providers/google/activate',
    headers,
    payload: { settings: {} },
  });
  const { authorizationUrl } = (
    await app.inject({ method: 'POST', url: '/api/v1/mdm/providers/google/authorize', headers })
  ).json();
  const { redirect } = await control(fakeOrigin, 'approve', {
    url: authorizationUrl,
    email: `admin@${DOMAIN}`,
  });
  const callback = new URL(String(redirect));
  await app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, headers });
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    console.log(`  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`);
}

function minimumCalls(report: RunReport, tracked: number, fleet: number, changed: number): number {
  if (report.run.strategy === 'batch_lookup') return Math.ceil(tracked / 1000);
  if (report.run.strategy === 'full_listing') return Math.ceil(fleet / 300);
  return Math.ceil(changed / 300);
}

async function measure(kind: TargetKind): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'satchel-bench-sync-'));
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
  // Every device last synced with Google at least two days ago, so an incremental pass sees only what changes.
  const fleet = generateFleet({
    size: tracked.length + STRANGERS - Math.round(STRANGERS / 50),
    serials: tracked.map((device) => device.serialKey),
    junk: Math.round(STRANGERS / 50),
    domain: DOMAIN,
    seed: 7,
    now: Date.now() - 2 * 24 * 3600_000,
  });
  const fleetFile = path.join(dataDir, 'fleet.json');
  await writeFleet(fleetFile, fleet);
  const fake = await startFake(fleetFile);
  const fakeOrigin = fake.environment.FAKE_CONTROL!;

  const secretKey = randomBytes(32);
  const environment = {
    ...fake.environment,
    PUBLIC_URL,
    SATCHEL_SECRET_KEY: secretKey.toString('base64'),
  };
  const app = await setupApp(database, environment, secretKey, dataDir);
  await authorize(app, email, fakeOrigin);
  await app.close();
  await database.close();

  console.log(
    `\n${kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL'} — ${tracked.length} tracked devices, Google fleet of ${fleet.length} (${STRANGERS} outside the inventory)`,
  );
  const rows: string[][] = [
    [
      'latency',
      'run',
      'strategy',
      'wall s',
      'then statistics s',
      'API calls (minimum)',
      'rows written',
      'peak RSS MB (at start)',
      'peak JS heap MB',
      'devices/s',
      'worker CPU s',
      `machine CPU s (${availableParallelism()} cores)`,
      'Google answering s',
      'network minimum s',
      'wall ÷ network minimum',
      'CPU floor s',
    ],
  ];
  const memory: [string, RunReport][] = [];
  const changedDevices = fleet.filter((_, index) => index % Math.round(1 / CHANGED_SHARE) === 0);
  /** 1% of the fleet with a new OS version, `tag` telling this change from the others. */
  const change = (tag: string, lastSync?: string) => ({
    key: DOMAIN,
    updates: changedDevices.map((device) => ({
      deviceId: device.deviceId,
      patch: { ...(lastSync ? { lastSync } : {}), osVersion: `${tag}.${device.deviceId.length}.0` },
    })),
  });
  const child = async (trigger: string, reset: boolean, extra: Record<string, string> = {}) => {
    const childEnvironment = {
      ...environment,
      BENCH_KIND: kind,
      BENCH_LOCATION: target.location,
      BENCH_DISTRICT: districtId,
      BENCH_TRIGGER: trigger,
      BENCH_RESET: reset ? '1' : '0',
      ...extra,
    };
    await runChild('sync-child.ts', { ...childEnvironment, BENCH_PREPARE: '1' });
    // The fake Google's own garbage from the last run (a heap of cached answers) is collected now, not on
    // the cores the run is measured on.
    await control(fakeOrigin, 'collect-garbage', {});
    return runChild<RunReport>('sync-child.ts', childEnvironment);
  };
  for (const latency of LATENCIES) {
    await control(fakeOrigin, 'latency', { ms: latency });
    const first = await child('manual', true);
    const unchanged = await child('manual', false);
    const incremental: [string, RunReport][] = [];
    for (let repeat = 0; repeat < INCREMENTAL_RUNS; repeat++) {
      const label = (worker: string) =>
        `incremental, ${CHANGED_SHARE * 100}% changed (${worker}${INCREMENTAL_RUNS > 1 ? `, ${repeat + 1}` : ''})`;
      await control(
        fakeOrigin,
        'update-devices',
        change(`${140 + latency}.${repeat}`, new Date().toISOString()),
      );
      incremental.push([label('new process'), await child('schedule', false)]);
      // The same in a worker that has synced before, as one in service has: the process loaded and compiled
      // what a run needs during unmeasured incremental runs of its own, each on another 1% change.
      const warmUpFile = path.join(dataDir, 'warm-up.json');
      const changes = Array.from({ length: WARM_UP_RUNS + 1 }, (_, index) =>
        change(`${140 + latency}.${repeat}.${index + 1}`),
      );
      await writeFile(warmUpFile, JSON.stringify(changes));
      incremental.push([
        label('worker in service'),
        await child('schedule', false, { BENCH_WARM_UP: warmUpFile }),
      ]);
    }
    for (const [label, report] of [
      ['first full sync', first] as const,
      ['unchanged re-sync', unchanged] as const,
      ...incremental,
    ]) {
      if (report.run.state !== 'succeeded')
        throw new Error(`${label}: ${report.run.state} ${report.run.error}`);
      const minimum = minimumCalls(report, tracked.length, fleet.length, changedDevices.length);
      const devices =
        report.run.strategy === 'incremental_listing'
          ? changedDevices.length
          : report.run.strategy === 'full_listing'
            ? fleet.length
            : tracked.length;
      // One request is out at a time, so the run can end no sooner than the minimum calls' latencies one after
      // the other. Nor sooner than the CPU time every process on the machine spent, spread over its cores.
      const networkMinimum = (minimum * latency) / 1000;
      const cpuFloor = report.machineCpuSeconds / availableParallelism();
      memory.push([`${latency} ms ${label}`, report]);
      rows.push([
        `${latency} ms`,
        label,
        report.run.strategy,
        report.seconds.toFixed(1),
        report.statisticsSeconds.toFixed(2),
        `${report.run.counters.apiCalls} (${minimum})`,
        String(report.written),
        `${report.rssPeakMb.toFixed(0)} (${report.rssBeforeMb.toFixed(0)})`,
        report.heapPeakMb.toFixed(0),
        Math.round(devices / report.seconds).toLocaleString('en-US'),
        report.cpuSeconds.toFixed(1),
        report.machineCpuSeconds.toFixed(1),
        report.providerServiceSeconds.toFixed(1),
        networkMinimum.toFixed(1),
        networkMinimum > 0 ? (report.seconds / networkMinimum).toFixed(2) : '—',
        cpuFloor.toFixed(1),
      ]);
    }
  }
  printTable(rows);
  if (process.env.BENCH_MEMORY)
    for (const [label, report] of memory) {
      console.log(`  memory at peak RSS, ${label}: ${JSON.stringify(report.atPeakMb)}`);
      console.log(`  CPU seconds by process, ${label}: ${JSON.stringify(report.cpuBy)}`);
    }
  fake.child.kill('SIGTERM');
  // BENCH_KEEP=1 leaves the database (and PGlite's data directory) in place for a closer look.
  if (process.env.BENCH_KEEP) {
    console.log(`  kept: ${target.location} (data directory ${dataDir})`);
    return;
  }
  await target.drop();
  await rm(dataDir, { recursive: true, force: true });
}

/** `BENCH_DATABASES=postgres` measures one of them only. */
const wanted = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',');
if (wanted.includes('pglite')) await measure('pglite');
if (wanted.includes('postgres')) {
  if (postgresUrl) await measure('postgres');
  else console.log('\nPostgreSQL: set TEST_DATABASE_URL (or BENCH_DATABASE_URL) to measure it too');
}

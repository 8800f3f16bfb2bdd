import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../src/server/config.ts';
import { openKeptConnections } from '../src/server/db/connect.ts';
import type { DB } from '../src/server/db/schema.ts';
import { runSync } from '../src/server/mdm/sync/engine.ts';
import { findRun, queueRun } from '../src/server/mdm/sync/runs.ts';
import { refreshRecordStatistics } from '../src/server/mdm/sync/writer.ts';
import { resolveKeyring } from '../src/server/secrets/resolve.ts';
import { providerBench } from './providers/index.ts';
import { cpuByProcess, machineCpu, openTargetAt } from './targets.ts';

/**
 * One sync run in a process of its own, as a worker would run it, so wall time and RSS are the run's alone.
 * Prints the run and the figures as JSON.
 */
const env = process.env;
const log = pino({ level: 'silent' });
// The configuration wants a data directory; nothing is written there, and it goes when the child exits.
const dataDir = await mkdtemp(path.join(tmpdir(), 'satchel-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const config = loadConfig({ ...env, NODE_ENV: 'test', SATCHEL_DATA_DIR: dataDir });
const keyring = await resolveKeyring(config);
const database = await openTargetAt(env.BENCH_KIND!, env.BENCH_LOCATION!);
const districtId = env.BENCH_DISTRICT!;
if (env.BENCH_PREPARE === '1') {
  // Each run starts on a settled database, prepared by a process of its own: the clean-up after the reset or
  // the last run's rows is not the run's work (autovacuum would otherwise do it while the run is measured),
  // and the memory it takes is not the run's either.
  if (env.BENCH_RESET === '1')
    await database.db.deleteFrom('mdm_device_records').where('district_id', '=', districtId).execute();
  await sql`vacuum analyze mdm_device_records`.execute(database.db);
  await database.close();
  process.stdout.write('{}');
  process.exit(0);
}
const provider = providerBench(env.BENCH_PROVIDER!);
const fakeOrigin = env.FAKE_CONTROL!;
const connection = await database.db
  .selectFrom('mdm_connections')
  .select('id')
  .where('district_id', '=', districtId)
  .where('provider', '=', provider.key)
  .executeTakeFirstOrThrow();
const queue = async () =>
  (
    await queueRun(database.db, {
      districtId,
      connectionId: connection.id,
      provider: provider.key,
      trigger: env.BENCH_TRIGGER === 'schedule' ? 'schedule' : 'manual',
    })
  ).run;
const fakeStats = async () => (await provider.stats?.(fakeOrigin)) ?? null;
/** Where the database server's WAL ends now, on PostgreSQL (PGlite: null). */
const walPosition = async () =>
  database.pglite
    ? null
    : (await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(database.db)).rows[0]!
        .lsn;
// As a worker process does when it starts.
await openKeptConnections(database);
// BENCH_WARM_UP=file: a worker in service, which has run syncs before. The file names the devices to change
// and one tag per change: an unmeasured run follows each change but the last, which the measured run picks up.
if (env.BENCH_WARM_UP) {
  const { deviceIds, tags } = JSON.parse(readFileSync(env.BENCH_WARM_UP, 'utf8')) as {
    deviceIds: string[];
    tags: string[];
  };
  const changeDevices = provider.changeDevices!;
  for (const tag of tags.slice(0, -1)) {
    await changeDevices(fakeOrigin, deviceIds, tag);
    const warm = await queue();
    await runSync(
      { db: database.db, keyring, config, log },
      warm.id,
      districtId,
      new AbortController().signal,
    );
    const warmed = await findRun(database.db, districtId, warm.id);
    if (warmed?.state !== 'succeeded') throw new Error(`a warm-up run ${warmed?.state}: ${warmed?.error}`);
  }
  await changeDevices(fakeOrigin, deviceIds, tags.at(-1)!);
  await provider.collectGarbage?.(fakeOrigin);
  // Rows count as written when updated within the second before the measured run started: not the warm-up's.
  await sleep(1100);
}
const run = await queue();
const statsBefore = await fakeStats();
const walBefore = await walPosition();
const machineBefore = machineCpu();
const processesBefore = cpuByProcess();
const cpuBefore = process.cpuUsage();
const startedAt = new Date(Date.now() - 1000);
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
let heapPeak = process.memoryUsage().heapUsed;
let atPeak = process.memoryUsage();
const sampler = setInterval(() => {
  const memory = process.memoryUsage();
  if (memory.rss > rssPeak) atPeak = memory;
  rssPeak = Math.max(rssPeak, memory.rss);
  heapPeak = Math.max(heapPeak, memory.heapUsed);
}, 20);
const started = performance.now();
// BENCH_QUERIES=1: the time the run's statements took, by kind, on stderr.
const queryTimes = new Map<string, { count: number; ms: number }>();
const db =
  env.BENCH_QUERIES === '1'
    ? new Kysely<DB>({
        dialect: database.pglite
          ? new PGliteDialect({ pglite: database.pglite })
          : new PostgresDialect({ pool: database.pool! }),
        log(event) {
          const kind = event.query.sql.replace(/\s+/g, ' ').trim().slice(0, 60);
          const entry = queryTimes.get(kind) ?? { count: 0, ms: 0 };
          entry.count++;
          entry.ms += event.queryDurationMillis;
          queryTimes.set(kind, entry);
        },
      })
    : database.db;
const outcome = await runSync({ db, keyring, config, log }, run.id, districtId, new AbortController().signal);
const seconds = (performance.now() - started) / 1000;
// The WAL the server wrote meanwhile, for every database on it: the run's, unless something else was busy.
const walBytes =
  walBefore === null
    ? null
    : (
        await sql<{ bytes: number }>`
          select pg_wal_lsn_diff(pg_current_wal_lsn(), ${walBefore}::pg_lsn)::float8 as bytes`.execute(
          database.db,
        )
      ).rows[0]!.bytes;
// What the worker does once the run is over, as the sync job does: timed on its own.
const refreshing = performance.now();
if (outcome) await refreshRecordStatistics(database.db, outcome.rewritten);
const statisticsSeconds = (performance.now() - refreshing) / 1000;
for (const [kind, { count, ms }] of [...queryTimes].sort((a, b) => b[1].ms - a[1].ms))
  process.stderr.write(`  ${ms.toFixed(0).padStart(7)} ms ${String(count).padStart(5)}× ${kind}\n`);
clearInterval(sampler);
const cpu = process.cpuUsage(cpuBefore);
const machineSeconds = machineCpu() - machineBefore;
const spentBy = new Map<string, number>();
for (const [pid, after] of cpuByProcess()) {
  const spent = after.seconds - (processesBefore.get(pid)?.seconds ?? 0);
  // The only other Node process at work is the provider's fake (its main thread names the process).
  const group =
    pid === process.pid
      ? 'worker'
      : after.name.startsWith('postgres')
        ? 'postgres'
        : after.name === 'MainThread' || after.name === 'node'
          ? `fake ${provider.name}`
          : 'other';
  spentBy.set(group, (spentBy.get(group) ?? 0) + spent);
}
const cpuBy = Object.fromEntries([...spentBy].map(([group, spent]) => [group, Math.round(spent * 10) / 10]));
const statsAfter = await fakeStats();
rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
const finished = await findRun(database.db, districtId, run.id);
const written = await sql<{ count: number }>`
  select count(*)::int as count from mdm_device_records
  where district_id = ${districtId}::uuid and updated_at >= ${startedAt}`.execute(database.db);
await database.close();
process.stdout.write(
  JSON.stringify({
    seconds,
    statisticsSeconds,
    rssBeforeMb: rssBefore / 2 ** 20,
    rssPeakMb: rssPeak / 2 ** 20,
    heapPeakMb: heapPeak / 2 ** 20,
    // Where the peak RSS was: V8's heap (used / reserved) and memory outside it (buffers and the like).
    atPeakMb: Object.fromEntries(
      Object.entries(atPeak).map(([key, bytes]) => [key, Math.round(bytes / 2 ** 20)]),
    ),
    written: written.rows[0]?.count ?? 0,
    walBytes,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    machineCpuSeconds: machineSeconds,
    cpuBy,
    providerRequests: statsAfter && statsBefore ? statsAfter.apiRequests - statsBefore.apiRequests : null,
    providerServiceSeconds:
      statsAfter && statsBefore ? (statsAfter.serviceMs - statsBefore.serviceMs) / 1000 : null,
    run: {
      state: finished?.state,
      error: finished?.error,
      strategy: finished?.strategy,
      estimate: finished?.estimate,
      counters: finished?.counters,
    },
  }),
);

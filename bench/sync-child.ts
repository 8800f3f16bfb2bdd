import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../src/server/config.ts';
import { runSync } from '../src/server/mdm/sync/engine.ts';
import { findRun, queueRun } from '../src/server/mdm/sync/runs.ts';
import { resolveKeyring } from '../src/server/secrets/resolve.ts';
import { openTargetAt } from './targets.ts';

/**
 * One sync run in a process of its own, as a worker would run it, so wall time and RSS are the run's alone.
 * Prints the run and the figures as JSON.
 */
const env = process.env;
const log = pino({ level: 'silent' });
const config = loadConfig({
  ...env,
  NODE_ENV: 'test',
  SATCHEL_DATA_DIR: await mkdtemp(path.join(tmpdir(), 'satchel-')),
});
const keyring = await resolveKeyring(config);
const database = await openTargetAt(env.BENCH_KIND!, env.BENCH_LOCATION!);
const districtId = env.BENCH_DISTRICT!;
if (env.BENCH_RESET === '1')
  await database.db.deleteFrom('mdm_device_records').where('district_id', '=', districtId).execute();
const connection = await database.db
  .selectFrom('mdm_connections')
  .select('id')
  .where('district_id', '=', districtId)
  .where('provider', '=', 'google')
  .executeTakeFirstOrThrow();
const { run } = await queueRun(database.db, {
  districtId,
  connectionId: connection.id,
  provider: 'google',
  trigger: env.BENCH_TRIGGER === 'schedule' ? 'schedule' : 'manual',
});
const fakeStats = async () =>
  (await (await fetch(`${env.FAKE_CONTROL}/__fake/stats`)).json()) as {
    apiRequests: number;
    serviceMs: number;
  };
const statsBefore = await fakeStats();
const cpuBefore = process.cpuUsage();
const startedAt = new Date(Date.now() - 1000);
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
let heapPeak = process.memoryUsage().heapUsed;
const sampler = setInterval(() => {
  const memory = process.memoryUsage();
  rssPeak = Math.max(rssPeak, memory.rss);
  heapPeak = Math.max(heapPeak, memory.heapUsed);
}, 20);
const started = performance.now();
await runSync({ db: database.db, keyring, config, log }, run.id, districtId, new AbortController().signal);
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const cpu = process.cpuUsage(cpuBefore);
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
    rssBeforeMb: rssBefore / 2 ** 20,
    rssPeakMb: rssPeak / 2 ** 20,
    heapPeakMb: heapPeak / 2 ** 20,
    written: written.rows[0]?.count ?? 0,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    providerRequests: statsAfter.apiRequests - statsBefore.apiRequests,
    providerServiceSeconds: (statsAfter.serviceMs - statsBefore.serviceMs) / 1000,
    run: {
      state: finished?.state,
      error: finished?.error,
      strategy: finished?.strategy,
      estimate: finished?.estimate,
      counters: finished?.counters,
    },
  }),
);

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pino from 'pino';
import { serverFlags } from '../bin/server-flags.js';
import { DEFAULT_SYNCED_STATUSES } from '../src/common/mdm.ts';
import { createToken } from '../src/server/auth/api-tokens.ts';
import { systemContext } from '../src/server/context.ts';
import { migrateToLatest } from '../src/server/db/connect.ts';
import { createDistrictWithAdmin } from '../src/server/districts/service.ts';
import { generateDemoData } from '../src/server/inventory/demo-data.ts';
import { listTrackableDevices } from '../src/server/inventory/index.ts';
import { busiestWindow, runLimiterWorker } from '../test/setup/limiter.ts';
import {
  control,
  cpuByProcess,
  createTarget,
  machineCpu,
  postgresUrl,
  profileArgs,
  setupApp,
} from './targets.ts';

/**
 * `npm run bench -- scale` (PostgreSQL only): many districts, one web and two worker processes, one Google
 * quota. Every district's first full sync is asked for at once, through the web process, while autocannon
 * reads device lists from it; prints how long the districts took, how much of the quota was used, 429s,
 * per-district completion against a fair share, duplicated runs, and the API's latency meanwhile.
 */
const DISTRICTS = Number(process.env.BENCH_DISTRICTS ?? 200);
/** Google's fake quota for the whole project, and what Satchel is told it may use of it. */
const FAKE_QUOTA_PER_MINUTE = Number(process.env.BENCH_QUOTA ?? 2400);
const SATCHEL_QUOTA_PER_MINUTE = Math.floor(FAKE_QUOTA_PER_MINUTE * 0.96);
const LATENCY_MS = 50;
const WORKERS = 2;
const SYNC_CONCURRENCY = Number(process.env.BENCH_SYNC_CONCURRENCY ?? 20);
/** The device-list load: this many connections, each asking once a second, their seconds evenly staggered. */
const API_CONNECTIONS = 50;
const PUBLIC_URL = 'https://satchel.bench.example.org';
const CALLBACK = `${PUBLIC_URL}/api/v1/mdm/providers/google/oauth/callback`;
const PASSWORD = 'benchmark password';
const log = pino({ level: 'silent' });

/** District sizes from 300 to 30,000 devices, most of them small: about 400,000 in all for 200 districts. */
function districtSizes(count: number): number[] {
  return Array.from({ length: count }, (_, index) =>
    Math.round(300 * 100 ** (count === 1 ? 1 : (index / (count - 1)) ** 4.6)),
  );
}

/** The same shuffle every time, so the order the districts ask in does not change between runs. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let index = out.length - 1; index > 0; index--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const other = state % (index + 1);
    [out[index], out[other]] = [out[other]!, out[index]!];
  }
  return out;
}

/**
 * Background processes (the workers, and the fake, which stands in for Google's own servers) run at a lower
 * CPU priority than the web process, as the README advises for workers that share a machine with it.
 */
const BACKGROUND_NICE = 10;

async function startProcess(
  args: string[],
  environment: Record<string, string>,
  ready: RegExp,
  nice = 0,
): Promise<{ child: ChildProcess; output: string }> {
  const command = [process.execPath, ...profileArgs(), ...args];
  // `nice` execs the command, so the child's pid is the server's own.
  const child = spawn(
    nice ? 'nice' : command[0]!,
    nice ? ['-n', String(nice), ...command] : command.slice(1),
    {
      env: { ...process.env, ...environment },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  for await (const chunk of child.stdout!) {
    output += chunk;
    if (ready.test(output)) break;
  }
  // Keep reading so the child never blocks on a full pipe.
  child.stdout!.resume();
  return { child, output };
}

async function serve(role: 'web' | 'worker', environment: Record<string, string>) {
  const main = path.resolve(import.meta.dirname, '../src/server/main.ts');
  const started = await startProcess(
    [...serverFlags(), main, 'serve', '--role', role],
    environment,
    /"msg":"Satchel is running"/,
    role === 'worker' ? BACKGROUND_NICE : 0,
  );
  const line = started.output.split('\n').find((entry) => entry.includes('"msg":"Satchel is running"'))!;
  return { child: started.child, url: (JSON.parse(line) as { url: string }).url };
}

/**
 * A paced read load: API_CONNECTIONS autocannon clients of one connection each, asking once a second, started
 * 1/API_CONNECTIONS of a second apart so the requests arrive evenly rather than all at the top of each second.
 * `take()` reports the latencies and errors since the last take.
 */
function readLoad(url: string, token: string) {
  let latencies: number[] = [];
  let errors = 0;
  const instances: autocannon.Instance[] = [];
  const starting = Array.from({ length: API_CONNECTIONS }, (_, index) =>
    setTimeout(
      () => {
        const instance = autocannon(
          {
            url,
            connections: 1,
            connectionRate: 1,
            duration: 3600,
            headers: { authorization: `Bearer ${token}` },
          },
          () => undefined,
        );
        instance.on('response', (_client, statusCode, _bytes, responseTime) => {
          if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
          else errors++;
        });
        instance.on('reqError', () => errors++);
        instances.push(instance);
      },
      (index * 1000) / API_CONNECTIONS,
    ),
  );
  return {
    take(): string {
      const sorted = latencies.sort((a, b) => a - b);
      const at = (share: number) =>
        sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? NaN;
      const report = `p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, ${sorted.length + errors} requests, ${errors} errors`;
      latencies = [];
      errors = 0;
      return report;
    },
    async stop(): Promise<void> {
      for (const timer of starting) clearTimeout(timer);
      await Promise.all(
        instances.map((instance) => {
          const done = once(instance, 'done');
          instance.stop();
          return done;
        }),
      );
    },
  };
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)}%`;
}

/** Seconds the shared limiter is measured on its own, after the districts have synced. */
const LIMITER_SECONDS = 15;

/**
 * The shared limiter with the sync work taken away: as many processes and takers as the workers have runs,
 * taking turns from the provider's bucket as fast as it lets them. Returns every grant's time, sorted.
 */
async function limiterAlone(databaseUrl: string): Promise<number[]> {
  const settings = {
    databaseUrl,
    provider: 'google',
    perMinute: SATCHEL_QUOTA_PER_MINUTE,
    seconds: LIMITER_SECONDS,
    concurrency: SYNC_CONCURRENCY,
  };
  const grants = await Promise.all(Array.from({ length: WORKERS }, () => runLimiterWorker(settings)));
  return grants.flat().sort((a, b) => a - b);
}

async function main(): Promise<void> {
  if (!postgresUrl) {
    console.log(
      'scale: set TEST_DATABASE_URL (or BENCH_DATABASE_URL) to a PostgreSQL server; it runs there only',
    );
    return;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'satchel-bench-scale-'));
  const target = await createTarget('postgres', dataDir, 'scale');
  const database = await target.open();
  const processes: ChildProcess[] = [];
  try {
    await migrateToLatest(database.db);
    const fake = await startProcess(
      [
        path.resolve(import.meta.dirname, '../fakes/run.ts'),
        'google',
        '--port',
        '0',
        '--size',
        '0',
        '--redirect-uri',
        CALLBACK,
        '--log',
        '2000',
        '--latency',
        String(LATENCY_MS),
      ],
      {},
      /GOOGLE_CLIENT_SECRET=\S+/,
      BACKGROUND_NICE,
    );
    processes.push(fake.child);
    const googleEnvironment = Object.fromEntries(
      [...fake.output.matchAll(/^(GOOGLE_[A-Z_]+)=(\S+)$/gm)].map((match) => [match[1]!, match[2]!]),
    );
    const fakeOrigin = new URL(googleEnvironment.GOOGLE_OAUTH_TOKEN_URL!).origin;
    const secretKey = randomBytes(32);
    const environment: Record<string, string> = {
      ...googleEnvironment,
      PUBLIC_URL,
      DATABASE_URL: target.location,
      SATCHEL_SECRET_KEY: secretKey.toString('base64'),
      GOOGLE_API_QUOTA_PER_MINUTE: String(SATCHEL_QUOTA_PER_MINUTE),
      SATCHEL_SYNC_CONCURRENCY: String(SYNC_CONCURRENCY),
      PORT: '0',
      LOG_LEVEL: 'info',
    };
    const app = await setupApp(database, environment, secretKey, dataDir);

    // The districts: inventory, a Google fleet that knows 95% of it plus strangers and junk, an authorized
    // connection, and an API token for the district's scripts.
    const sizes = districtSizes(DISTRICTS);
    const setupStarted = performance.now();
    const districts: { index: number; id: string; tracked: number; token: string }[] = [];
    const setUp = async (index: number) => {
      const domain = `d${index}.bench.example.org`;
      const email = `admin@${domain}`;
      const { districtId, admin } = await createDistrictWithAdmin(
        database.db,
        { districtName: `District ${index}`, adminName: 'Admin', adminEmail: email, adminPassword: PASSWORD },
        { label: 'bench', ip: null, log },
      );
      await generateDemoData(database.db, districtId, {
        devices: Math.round(sizes[index]! / 0.95),
        people: Math.round(sizes[index]! * 0.8),
        seed: index + 1,
      });
      const tracked = await listTrackableDevices(
        systemContext(districtId, log),
        database.db,
        DEFAULT_SYNCED_STATUSES,
      );
      const known = tracked.slice(0, Math.round(tracked.length * 0.95)).map((device) => device.serialKey);
      await control(fakeOrigin, 'generate-fleet', {
        key: domain,
        serials: known,
        strangers: Math.round(known.length * 0.1),
        junk: Math.max(1, Math.round(known.length * 0.02)),
        seed: index + 1,
      });
      // Each district's administrator signs in from an address of their own (sign-in is limited per address)
      // to authorize Google in the browser; the district's scripts then use an API token.
      const remoteAddress = `10.${index >> 16}.${(index >> 8) & 255}.${index & 255}`;
      const signIn = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        remoteAddress,
        payload: { email, password: PASSWORD },
      });
      const cookie = signIn.cookies.find((entry) => entry.name.endsWith('satchel_session'));
      if (!cookie) throw new Error(`signing in to district ${index}: ${signIn.statusCode} ${signIn.body}`);
      const headers = { cookie: `${cookie.name}=${cookie.value}`, 'x-csrf-token': signIn.json().csrfToken };
      const { secret: token } = await createToken(
        { ...systemContext(districtId, log, 'cli'), userId: admin.id },
        database.db,
        { name: 'bench', expiresInDays: null },
      );
      await app.inject({
        method: 'POST',
        url: '/api/v1/mdm/providers/google/activate',
        remoteAddress,
        headers,
        payload: { settings: {} },
      });
      const { authorizationUrl } = (
        await app.inject({
          method: 'POST',
          url: '/api/v1/mdm/providers/google/authorize',
          remoteAddress,
          headers,
        })
      ).json();
      const { redirect } = await control(fakeOrigin, 'approve', { url: authorizationUrl, email });
      const callback = new URL(String(redirect));
      const done = await app.inject({
        method: 'GET',
        url: `${callback.pathname}${callback.search}`,
        headers,
      });
      if (done.statusCode >= 400)
        throw new Error(`authorizing district ${index}: ${done.statusCode} ${done.body}`);
      districts.push({ index, id: districtId, tracked: tracked.length, token });
    };
    for (let start = 0; start < sizes.length; start += 4)
      await Promise.all(sizes.slice(start, start + 4).map((_, offset) => setUp(start + offset)));
    await app.close();
    // Autovacuum would have visited the freshly loaded tables by now; the database the benchmark runs on may
    // have it turned off.
    await sql`vacuum analyze`.execute(database.db);
    const totalTracked = districts.reduce((sum, district) => sum + district.tracked, 0);
    console.log(
      `\nscale: ${districts.length} districts of ${Math.min(...sizes)}–${Math.max(...sizes)} devices, ` +
        `${totalTracked.toLocaleString('en-US')} tracked in all (set up in ${((performance.now() - setupStarted) / 1000).toFixed(0)} s); ` +
        `fake Google with ${LATENCY_MS} ms latency and a project quota of ${FAKE_QUOTA_PER_MINUTE}/min; ` +
        `Satchel told ${SATCHEL_QUOTA_PER_MINUTE}/min; 1 web and ${WORKERS} worker processes (nice ${BACKGROUND_NICE}, as is the fake), ${SYNC_CONCURRENCY} runs each`,
    );

    await control(fakeOrigin, 'quota', {
      perMinute: FAKE_QUOTA_PER_MINUTE,
      scope: 'project',
      status: 429,
      reason: 'rateLimitExceeded',
      retryAfter: true,
    });
    const web = await serve('web', environment);
    processes.push(web.child);
    const workers: ChildProcess[] = [];
    for (let worker = 0; worker < WORKERS; worker++) workers.push((await serve('worker', environment)).child);
    processes.push(...workers);
    // CPU seconds by part: the worker processes, the web process, PostgreSQL, the fake and this process
    // (the read load's client).
    const cpuParts = () => {
      const table = cpuByProcess();
      const of = (child: ChildProcess) => table.get(child.pid!)?.seconds ?? Number.NaN;
      const own = process.cpuUsage();
      return {
        workers: workers.reduce((sum, child) => sum + of(child), 0),
        web: of(web.child),
        postgres: [...table.values()].reduce(
          (sum, entry) => sum + (entry.name === 'postgres' ? entry.seconds : 0),
          0,
        ),
        fake: of(fake.child),
        load: (own.user + own.system) / 1e6,
      };
    };

    // The API under a steady read load: first alone for a baseline, then for the whole time the districts sync.
    const biggest = districts.reduce((best, district) => (district.tracked > best.tracked ? district : best));
    const api = readLoad(`${web.url}/api/v1/devices?pageSize=50`, biggest.token);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const baseline = api.take();

    const statsBefore = (await control(fakeOrigin, 'stats')) as { apiRequests: number; rateLimited: number };
    const triggered = Date.now();
    const cpuBefore = machineCpu();
    const partsBefore = cpuParts();
    const runIds = new Map<string, string>();
    const order = shuffled(districts, 7);
    for (let start = 0; start < order.length; start += 20) {
      await Promise.all(
        order.slice(start, start + 20).map(async (district) => {
          const response = await fetch(`${web.url}/api/v1/mdm/providers/google/sync`, {
            method: 'POST',
            headers: { authorization: `Bearer ${district.token}` },
          });
          if (response.status !== 202 && response.status !== 200)
            throw new Error(`sync now for district ${district.index}: ${response.status}`);
          runIds.set(district.id, (await response.json()).id as string);
        }),
      );
    }
    // Samples of the provider's request count and of the runs still waiting for a worker.
    const samples: { at: number; requests: number; queued: number; open: number }[] = [];
    for (;;) {
      const [stats, states] = await Promise.all([
        control(fakeOrigin, 'stats') as Promise<{ apiRequests: number }>,
        sql<{ queued: number; open: number }>`
          select count(*) filter (where state = 'queued')::int as queued,
            count(*) filter (where state in ('queued', 'running'))::int as open
          from sync_runs where id = any(${[...runIds.values()]}::uuid[])`.execute(database.db),
      ]);
      samples.push({ at: Date.now(), requests: stats.apiRequests, ...states.rows[0]! });
      if (states.rows[0]!.open === 0) break;
      if (Date.now() - triggered > 30 * 60_000)
        throw new Error('the districts did not finish within 30 minutes');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const finishedAll = Date.now();
    const cpuSeconds = machineCpu() - cpuBefore;
    const partsAfter = cpuParts();
    const cpuBreakdown = Object.entries(partsAfter)
      .map(
        ([part, seconds]) =>
          `${part} ${(seconds - partsBefore[part as keyof typeof partsBefore]).toFixed(1)}`,
      )
      .join(', ');
    const apiResult = api.take();
    await api.stop();
    const statsAfter = (await control(fakeOrigin, 'stats')) as { apiRequests: number; rateLimited: number };

    // Quota use while runs were still waiting for a worker: requests per minute against the fake's quota.
    const lastQueued = samples.findLast((sample) => sample.queued > 0) ?? samples[0]!;
    const queuedSeconds = (lastQueued.at - triggered) / 1000;
    const queuedRequests = lastQueued.requests - statsBefore.apiRequests;
    const totalRequests = statsAfter.apiRequests - statsBefore.apiRequests;
    const allSeconds = (finishedAll - triggered) / 1000;
    let busiestMinute = 0;
    for (const sample of samples) {
      const minuteBefore = samples.find((earlier) => earlier.at >= sample.at - 60_000) ?? samples[0]!;
      busiestMinute = Math.max(busiestMinute, sample.requests - minuteBefore.requests);
    }

    const runs = await database.db
      .selectFrom('sync_runs')
      .select([
        'id',
        'district_id',
        'connection_id',
        'state',
        'counters',
        'queued_at',
        'started_at',
        'finished_at',
      ])
      .where('district_id', 'in', [...runIds.keys()])
      .execute();
    // BENCH_DUMP=<file>: every run's timeline and its job's, for a closer look.
    if (process.env.BENCH_DUMP) {
      const jobs = await sql`
        select data->>'runId' as run_id, created_on, started_on, completed_on, retry_count, priority
        from pgboss.job where name = 'mdm.sync'`.execute(database.db);
      const sizes = new Map(districts.map((district) => [district.id, district.tracked]));
      await writeFile(
        process.env.BENCH_DUMP,
        JSON.stringify(
          {
            triggered,
            runs: runs.map((run) => ({ ...run, tracked: sizes.get(run.district_id) })),
            jobs: jobs.rows,
          },
          null,
          1,
        ),
      );
    }
    // Fair share: the quota shared evenly among every district from the start (processor sharing), a district
    // of c calls would finish after sum over districts of min(c_j, c) calls at the full rate.
    const calls = new Map(runs.map((run) => [run.district_id, Number(run.counters.apiCalls)]));
    const perSecond = FAKE_QUOTA_PER_MINUTE / 60;
    const completion = districts.map((district) => {
      const own = calls.get(district.id) ?? 0;
      const fair = [...calls.values()].reduce((sum, other) => sum + Math.min(other, own), 0) / perSecond;
      const run = runs.find((entry) => entry.district_id === district.id)!;
      const took = (new Date(run.finished_at!).getTime() - triggered) / 1000;
      const started = new Date(run.started_at!).getTime();
      const waited = (started - new Date(run.queued_at).getTime()) / 1000;
      const ran = (new Date(run.finished_at!).getTime() - started) / 1000;
      return { district, calls: own, fair, took, ratio: took / fair, waited, ran };
    });
    const small = completion.filter((entry) => entry.district.tracked <= 1000);
    const overFair = small.filter((entry) => entry.ratio > 2);
    const failed = runs.filter((run) => run.state !== 'succeeded');
    // Runs per connection that overlapped another of the same connection, and districts with more than one.
    let overlapping = 0;
    const byConnection = Map.groupBy(runs, (run) => run.connection_id);
    for (const own of byConnection.values()) {
      own.sort((a, b) => new Date(a.started_at!).getTime() - new Date(b.started_at!).getTime());
      for (let index = 1; index < own.length; index++)
        if (new Date(own[index]!.started_at!) < new Date(own[index - 1]!.finished_at!)) overlapping++;
    }
    const duplicated = [...byConnection.values()].filter((own) => own.length > 1).length + overlapping;

    // What the limiter allows when nothing else holds the requests back, and what the machine allowed.
    const grants = await limiterAlone(target.location);
    const grantSpan = (grants.at(-1)! - grants[0]!) / 1000;
    const grantedPerMinute = ((grants.length - 1) / grantSpan) * 60;
    const cpuPerRequest = cpuSeconds / totalRequests;
    const cpuCeiling = (availableParallelism() / cpuPerRequest) * 60;

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const worstSmall = small.reduce((worst, entry) => (entry.ratio > worst.ratio ? entry : worst), small[0]!);
    console.log(
      [
        `  all ${districts.length} first full syncs done after   ${allSeconds.toFixed(1)} s (${failed.length} failed)`,
        `  machine CPU meanwhile                ${cpuSeconds.toFixed(0)} s busy of ${(allSeconds * availableParallelism()).toFixed(0)} (${availableParallelism()} cores)`,
        `    by part (CPU s)                    ${cpuBreakdown}`,
        `  provider requests                    ${totalRequests} (${(totalRequests / allSeconds).toFixed(1)}/s overall)`,
        `  quota use while runs were queued     ${queuedRequests} requests in ${queuedSeconds.toFixed(1)} s = ${((queuedRequests / queuedSeconds) * 60).toFixed(0)}/min, ${percent((queuedRequests / queuedSeconds) * 60, FAKE_QUOTA_PER_MINUTE)} of ${FAKE_QUOTA_PER_MINUTE}/min`,
        `  busiest 60 s as the fake saw it      ${busiestMinute} requests (quota ${FAKE_QUOTA_PER_MINUTE})`,
        `  429s from the fake                   ${statsAfter.rateLimited - statsBefore.rateLimited}`,
        `  machine CPU per provider request     ${cpuPerRequest.toFixed(3)} s: the cores allow ${cpuCeiling.toFixed(0)}/min at that cost, ${percent(cpuCeiling, FAKE_QUOTA_PER_MINUTE)} of the quota`,
        `  the limiter alone (${WORKERS} processes × ${SYNC_CONCURRENCY} takers, ${LIMITER_SECONDS} s, no sync work)`,
        `    granted                            ${grantedPerMinute.toFixed(0)}/min, ${percent(grantedPerMinute, FAKE_QUOTA_PER_MINUTE)} of ${FAKE_QUOTA_PER_MINUTE}/min (Satchel told ${SATCHEL_QUOTA_PER_MINUTE}/min); busiest second ${busiestWindow(grants, 1000)}`,
        `  small districts (≤ 1,000 tracked)    ${small.length}; finished after ${median(small.map((entry) => entry.took)).toFixed(1)} s median, ${Math.max(...small.map((entry) => entry.took)).toFixed(1)} s at worst`,
        `    against their fair share           ${median(small.map((entry) => entry.ratio)).toFixed(2)}× median; worst ${worstSmall.ratio.toFixed(2)}× (${worstSmall.calls} calls, fair ${worstSmall.fair.toFixed(1)} s, took ${worstSmall.took.toFixed(1)} s); over 2×: ${overFair.length}`,
        `    waiting for a worker / running     ${median(small.map((entry) => entry.waited)).toFixed(1)} s / ${median(small.map((entry) => entry.ran)).toFixed(1)} s median`,
        `  largest district (${biggest.tracked.toLocaleString('en-US')} tracked)   ${completion.find((entry) => entry.district === biggest)!.took.toFixed(1)} s, ${calls.get(biggest.id)} calls`,
        `  duplicated runs                      ${duplicated}`,
        `  device list of the largest district, ${API_CONNECTIONS} connections each asking once a second:`,
        `    alone, for a baseline              ${baseline}`,
        `    while every district syncs         ${apiResult}`,
      ].join('\n'),
    );
  } finally {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(processes.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
    await database.close();
    await target.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGoogle } from '../../../fakes/google/index.ts';
import type { TestApp } from '../../setup/app.ts';
import { testDatabaseKind } from '../../setup/database.ts';
import { createApiToken } from '../../setup/factories.ts';
import { withGoogleApp } from '../../setup/google.ts';
import { type Fixture, syncHarness } from '../../setup/google-sync.ts';

const MAIN = path.resolve(import.meta.dirname, '../../../src/server/main.ts');
const LIST = 'directory.chromeosdevices.list';
const PAGE_SIZE = 40;

let fake: FakeGoogle;
let testApp: TestApp;
withGoogleApp((env) => {
  ({ fake, testApp } = env);
});
const { connectedDistrict, sync, records } = syncHarness(() => ({ fake, testApp }));

interface Started {
  child: ChildProcess;
  /** The API's URL for a web process, the health port's for a worker. */
  url: string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

const started: ChildProcess[] = [];
let dataDir: string;

/** `satchel serve --role <role>` against this file's PostgreSQL database and fake Google. */
async function serve(role: 'web' | 'worker'): Promise<Started> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--role', role], {
    env: {
      PATH: process.env.PATH,
      ...testApp.environment,
      DATABASE_URL: testApp.database.url ?? undefined,
      SATCHEL_SECRET_KEY: testApp.deps.secretKey.toString('base64'),
      SATCHEL_DATA_DIR: dataDir,
      PORT: '0',
      SATCHEL_HEALTH_PORT: '0',
      SATCHEL_HEALTH_TOKEN: HEALTH_TOKEN,
      SATCHEL_JOB_HEARTBEAT_SECONDS: '10',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const line = output.split('\n').find((entry) => entry.includes('"msg":"Satchel is running"'));
      if (line) {
        const logged = JSON.parse(line) as { url?: string; health?: string };
        resolve((logged.url ?? logged.health) as string);
      }
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    exited.then(([code]) => reject(new Error(`serve --role ${role} exited with ${code}: ${output}`)));
  });
  return { child, url, exited };
}

const HEALTH_TOKEN = 'monitoring-token-for-processes';

async function health(url: string) {
  expect(await (await fetch(`${url}/api/v1/health`)).json()).toEqual({ status: 'ok' });
  const response = await fetch(`${url}/api/v1/health/details`, {
    headers: { authorization: `Bearer ${HEALTH_TOKEN}` },
  });
  expect(response.status).toBe(200);
  return response.json();
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, seconds = 60): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function runRow(runId: string) {
  return testApp.database.db
    .selectFrom('sync_runs')
    .select(['state', 'counters', 'started_at', 'finished_at'])
    .where('id', '=', runId)
    .executeTakeFirstOrThrow();
}

async function snapshot(districtId: string) {
  return (await records(districtId))
    .map((row) => `${row.device_id}:${row.provider_device_id}:${row.content_hash}:${row.match_state}`)
    .sort();
}

/** Sync now, through a web process's API, as a script with an API token would press it. */
async function syncNow(web: Started, token: string): Promise<string> {
  const response = await fetch(`${web.url}/api/v1/mdm/providers/google/sync`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  expect([200, 202]).toContain(response.status);
  return (await response.json()).id as string;
}

describe.runIf(testDatabaseKind() === 'postgres')('web and worker processes on one PostgreSQL', () => {
  let web: Started;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'satchel-processes-'));
    web = await serve('web');
  });

  afterEach(async () => {
    fake.latencyMs = 0;
    fake.pageSizeCap = 300;
    // Workers of one test do not outlive it; the web process serves the whole file.
    for (const child of started.filter((entry) => entry !== web.child && entry.exitCode === null))
      child.kill('SIGKILL');
  });

  afterAll(async () => {
    for (const child of started)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all(
      started.map((child) =>
        child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined,
      ),
    );
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the web process queues, two workers run the runs, and never two runs of one connection at once', async () => {
    const fixtures = [
      await connectedDistrict({ devices: 1200, overlap: 0.5, junk: 20 }),
      await connectedDistrict({ devices: 1200, overlap: 0.5, junk: 20 }),
    ];
    const tokens = await Promise.all(fixtures.map((fixture) => createApiToken(fixture.session)));
    const workers = [await serve('worker'), await serve('worker')];
    fake.latencyMs = 20;

    // Bursts of simultaneous Sync now presses for both districts, while the runs they start are under way.
    const runIds = new Set<string>();
    for (let burst = 0; burst < 4; burst++) {
      const ids = await Promise.all(
        fixtures.flatMap((_, index) => Array.from({ length: 10 }, () => syncNow(web, tokens[index]!))),
      );
      for (const id of ids) runIds.add(id);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const runs = await until('every run to end', async () => {
      const rows = await testApp.database.db
        .selectFrom('sync_runs')
        .select(['id', 'connection_id', 'state', 'started_at', 'finished_at'])
        .where('id', 'in', [...runIds])
        .execute();
      return rows.every((row) => row.state === 'succeeded') ? rows : undefined;
    });
    // Each burst of ten presses per district found one open run (or opened one), never ten.
    expect(runIds.size).toBeLessThanOrEqual(8);
    for (const fixture of fixtures) {
      const own = runs
        .filter((run) => run.connection_id === fixture.connectionId)
        .sort((a, b) => new Date(a.started_at!).getTime() - new Date(b.started_at!).getTime());
      expect(own.length).toBeGreaterThan(0);
      for (let index = 1; index < own.length; index++)
        expect(new Date(own[index]!.started_at!).getTime()).toBeGreaterThanOrEqual(
          new Date(own[index - 1]!.finished_at!).getTime(),
        );
    }

    // A job completes just after its run has ended: the queue drains a moment later, and health says so.
    const webHealth = await until(
      'the sync queue to drain',
      async () => {
        const current = await health(web.url);
        const { queued, active } = current.queues['mdm.sync'];
        return queued === 0 && active === 0 ? current : undefined;
      },
      15,
    );
    expect(webHealth).toMatchObject({ status: 'ok', role: 'web', database: 'postgres' });
    const workerHealth = await health(workers[0]!.url);
    expect(workerHealth.role).toBe('worker');
    const roles = workerHealth.instances
      .filter((instance: { live: boolean }) => instance.live)
      .map((instance: { role: string }) => instance.role)
      .sort();
    expect(roles).toEqual(['web', 'worker', 'worker']);
    for (const instance of workerHealth.instances) expect(instance.heartbeatAgeSeconds).toBeLessThan(60);
  });

  /** A listing of many short pages, synced once for the records an uninterrupted run leaves; then cleared. */
  async function longRun(): Promise<{
    fixture: Fixture;
    expected: string[];
    listCalls: number;
    token: string;
  }> {
    const fixture = await connectedDistrict({ devices: 1200, overlap: 0.1, junk: 20 });
    fake.pageSizeCap = PAGE_SIZE;
    const reference = await sync(fixture);
    expect(reference.run.strategy).toBe('full_listing');
    const expected = await snapshot(fixture.districtId);
    await testApp.database.db
      .deleteFrom('mdm_device_records')
      .where('district_id', '=', fixture.districtId)
      .execute();
    const listCalls = reference.requests.filter((entry) => entry.operation === LIST).length;
    return { fixture, expected, listCalls, token: await createApiToken(fixture.session) };
  }

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`a worker stopped with ${signal} mid-run: another worker resumes the run to the records of an uninterrupted one`, async () => {
      const { fixture, expected, listCalls, token } = await longRun();
      fake.latencyMs = 40;
      const first = await serve('worker');
      const mark = fake.mark();
      const runId = await syncNow(web, token);
      await until('a few pages', async () =>
        Number((await runRow(runId)).counters.pages) >= 3 ? true : undefined,
      );
      const stoppedAt = Date.now();
      first.child.kill(signal);
      const [code, killedBy] = await first.exited;
      if (signal === 'SIGTERM') {
        // Graceful: the page in hand is written, the job goes back to the queue, and the process exits.
        expect(code).toBe(0);
        expect(Date.now() - stoppedAt).toBeLessThan(30_000);
      } else {
        expect(killedBy).toBe('SIGKILL');
      }
      const interrupted = await runRow(runId);
      expect(interrupted.state).toBe('running');
      expect(Number(interrupted.counters.pages)).toBeLessThan(listCalls);

      // A killed worker's job is taken over once its heartbeat lapses; a stopped one's at once.
      await serve('worker');
      const finished = await until(
        'the run to be resumed and finished',
        async () => {
          const row = await runRow(runId);
          return row.state === 'running' || row.state === 'queued' ? undefined : row;
        },
        90,
      );
      expect(finished.state).toBe('succeeded');
      expect(await snapshot(fixture.districtId)).toEqual(expected);
      // At most the page being written and the one prefetched are asked for again.
      const customerId = fake.customer(fixture.domain).customerId;
      const listed = fake
        .requestsSince(mark)
        .filter((entry) => entry.operation === LIST && entry.path.includes(customerId)).length;
      expect(listed).toBeLessThanOrEqual(listCalls + 2);
    }, 120_000);
  }
});

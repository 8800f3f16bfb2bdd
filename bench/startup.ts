import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Cold start: from `npm start` to the first 200 from /api/v1/health, on a new embedded database, on the same
 * database again, and on PostgreSQL (BENCH_DATABASE_URL, default the local server) with a new database.
 */
const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function timeStart(environment: Record<string, string>, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...process.env, ...environment, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (;;) {
      if (performance.now() - started > 120_000) throw new Error('Satchel did not answer within 120 s');
      const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health`)
        .then((response) => response.status === 200)
        .catch(() => false);
      if (ok) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await groupGone(child.pid!);
  }
}

/** Waits until every process of the group (npm and the server it started) has exited. */
async function groupGone(groupId: number): Promise<void> {
  for (;;) {
    try {
      process.kill(-groupId, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function summary(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `${label.padEnd(40)} median ${median.toFixed(0)} ms   (runs: ${samples.map((s) => s.toFixed(0)).join(', ')})`,
  );
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
}

console.log(`Satchel cold start, npm start → first 200 from /api/v1/health, ${runs} runs each`);
const fresh: number[] = [];
const existing: number[] = [];
for (let run = 0; run < runs; run++) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'satchel-bench-'));
  fresh.push(await timeStart({ SATCHEL_DATA_DIR: dataDir }, 3900));
  existing.push(await timeStart({ SATCHEL_DATA_DIR: dataDir }, 3900));
  await rm(dataDir, { recursive: true, force: true });
}
summary('PGlite, new data directory', fresh);
summary('PGlite, existing data directory', existing);

const reachable = await admin('select 1').then(
  () => true,
  () => false,
);
if (!reachable) {
  console.log(`PostgreSQL at ${postgresUrl} is not reachable: skipped`);
} else {
  const newDatabase: number[] = [];
  const migrated: number[] = [];
  for (let run = 0; run < runs; run++) {
    const name = `satchel_bench_${process.pid}_${run}`;
    await admin(`create database ${name}`);
    const url = new URL(postgresUrl);
    url.pathname = `/${name}`;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'satchel-bench-'));
    const environment = { DATABASE_URL: url.toString(), SATCHEL_DATA_DIR: dataDir };
    newDatabase.push(await timeStart(environment, 3901));
    migrated.push(await timeStart(environment, 3901));
    await admin(`drop database ${name} with (force)`);
    await rm(dataDir, { recursive: true, force: true });
  }
  summary('PostgreSQL, new database', newDatabase);
  summary('PostgreSQL, migrated database', migrated);
}

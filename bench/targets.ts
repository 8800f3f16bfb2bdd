import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { serverFlags } from '../bin/server-flags.js';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { type Database, openPglite, openPostgres } from '../src/server/db/connect.ts';
import { Keyring } from '../src/server/secrets/keyring.ts';

/** The PostgreSQL server benchmarks also measure, when one is configured. */
export const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

export type TargetKind = 'pglite' | 'postgres';

export interface Target {
  kind: TargetKind;
  /** Where a child process opens the same database: the PGlite directory or the PostgreSQL URL. */
  location: string;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

/** A fresh database for one benchmark: an embedded one in `dataDir`, or a new database on the server. */
export async function createTarget(kind: TargetKind, dataDir: string, name: string): Promise<Target> {
  if (kind === 'pglite') {
    const location = path.join(dataDir, 'pglite');
    return { kind, location, open: () => openPglite(location), drop: async () => undefined };
  }
  const database = `satchel_bench_${name}_${process.pid}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${database} with (force)`);
  await admin(`create database ${database}`);
  const url = new URL(postgresUrl!);
  url.pathname = `/${database}`;
  return {
    kind,
    location: url.toString(),
    open: async () => openPostgres(url.toString()),
    drop: () => admin(`drop database if exists ${database} with (force)`),
  };
}

/** Opens a target from inside a child process, given its kind and location. */
export function openTargetAt(kind: string, location: string): Promise<Database> {
  return kind === 'pglite' ? openPglite(location) : Promise.resolve(openPostgres(location));
}

/** `BENCH_PROFILE=dir` writes a CPU profile of every benchmark child process into that directory. */
export function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}

/** Runs a benchmark child script with extra environment and returns the JSON it prints. */
export function runChild<T>(script: string, environment: Record<string, string>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...serverFlags(), ...profileArgs(), path.join(import.meta.dirname, script)],
      {
        env: { ...process.env, ...environment },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output) as T) : reject(new Error(`${script} exited with ${code}`)),
    );
  });
}

/** Busy CPU seconds of the whole machine (every process: this worker, PostgreSQL, the fake), where Linux says. */
export const machineCpu = (): number => {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // user nice system idle iowait irq softirq steal: all but idle and iowait were busy.
    return (fields.reduce((sum, value) => sum + value, 0) - fields[3]! - fields[4]!) / 100;
  } catch {
    return Number.NaN;
  }
};

/** CPU seconds each process on the machine has used so far, with its name, read from /proc (empty elsewhere). */
export const cpuByProcess = (): Map<number, { name: string; seconds: number }> => {
  const out = new Map<number, { name: string; seconds: number }>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
        out.set(Number(entry), { name, seconds: (Number(rest[11]) + Number(rest[12])) / 100 });
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    // No /proc here.
  }
  return out;
};

/** The app in the benchmark's own process, for setting districts up through the API as an admin would. */
export async function setupApp(
  database: Database,
  environment: Record<string, string>,
  secretKey: Buffer,
  dataDir: string,
) {
  const config = loadConfig({ ...environment, NODE_ENV: 'test', SATCHEL_DATA_DIR: dataDir });
  const log = pino({ level: 'silent' });
  const { app } = await buildApp({
    config,
    database,
    secretKey,
    keyring: new Keyring(secretKey),
    jobs: undefined,
    log,
  });
  return app;
}

/** Calls one of the fake Google's control routes (`/__fake/…`): a POST with a body, a GET without one. */
export async function control(
  origin: string,
  route: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${origin}/__fake/${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`fake ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

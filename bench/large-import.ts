import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { serverFlags } from '../bin/server-flags.js';
import type { ImportJob } from '../src/common/inventory.ts';

/**
 * Imports of any size against a server in its own process: a file of `rows` new devices imported for real, and
 * a file of bad rows checked, while /api/v1/health is asked every 100 ms from outside. Prints the time, the
 * server's RSS growth over its resting size, and the health check's latency throughout.
 */
export async function measureLargeImports(options: {
  kind: string;
  location: string;
  dataDir: string;
  token: string;
  rows: number;
  badMegabytes: number;
}): Promise<void> {
  const good = path.join(options.dataDir, 'large-import.csv');
  const bad = path.join(options.dataDir, 'bad-rows.csv');
  await writeLines(
    good,
    'serial_number,asset_tag,model,manufacturer,type,status,notes',
    options.rows,
    (index) => {
      const id = String(index).padStart(8, '0');
      return `BIG${id},B${id},Dell Chromebook 3110,Dell,chromebook,in_service,Imported in the large benchmark`;
    },
  );
  // The file: every row invalid in four cells, and every serial a duplicate of the first.
  const badRows = Math.floor((options.badMegabytes * 1024 * 1024) / '1,x,x,x,x\n'.length);
  await writeLines(bad, 'serial_number,type,status,purchase_date,warranty_end', badRows, () => '1,x,x,x,x');

  const server = await startServer(options);
  try {
    // Each figure is printed as soon as it is measured: the real import can take many minutes on a busy machine.
    printRun(
      `${options.rows.toLocaleString('en-US')}-row import (real, one transaction)`,
      await timedImport(server, options.token, good, 'dryRun=false&background=true'),
    );
    printRun(
      `${options.badMegabytes} MB of bad rows (${badRows.toLocaleString('en-US')} rows, dry run)`,
      await timedImport(server, options.token, bad, 'dryRun=true&background=true'),
    );
  } finally {
    server.child.send('stop');
    await once(server.child, 'exit');
  }
}

function printRun(label: string, run: Awaited<ReturnType<typeof timedImport>>): void {
  const result = run.job.result;
  console.log(
    `  ${label}: ${run.job.state} in ${run.seconds.toFixed(1)} s, ${(run.bytes / 1e6).toFixed(0)} MB; ` +
      `server RSS ${run.rss.baselineMb.toFixed(0)} MB at rest, +${(run.rss.peakMb - run.rss.baselineMb).toFixed(0)} MB at peak (target < 200 MB); ` +
      `/api/v1/health max ${run.health.max.toFixed(1)} ms, p99 ${run.health.p99.toFixed(1)} ms over ${run.health.count} checks (target < 100 ms); ` +
      `rows ${result?.rows ?? '-'}, created ${result?.create ?? '-'}, invalid ${result?.invalid ?? '-'}, problems kept ${result?.problems.length ?? '-'} of ${result?.problemCount ?? '-'}` +
      (run.job.error ? `; error: ${run.job.error.message}` : ''),
  );
}

interface Server {
  child: ChildProcess;
  origin: string;
}

async function startServer(options: { kind: string; location: string; dataDir: string }): Promise<Server> {
  const child = fork(path.join(import.meta.dirname, 'import-server-child.ts'), {
    execArgv: [...serverFlags(), '--expose-gc'],
    env: {
      ...process.env,
      BENCH_KIND: options.kind,
      BENCH_LOCATION: options.location,
      BENCH_DATA_DIR: options.dataDir,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  return { child, origin: `http://127.0.0.1:${ready.port}` };
}

function ask<T>(server: Server, message: string): Promise<T> {
  server.child.send(message);
  return once(server.child, 'message').then(([reply]) => reply as T);
}

async function timedImport(server: Server, token: string, file: string, query: string) {
  const headers = { authorization: `Bearer ${token}` };
  await ask(server, 'reset');
  const health = probeHealth(server.origin);
  const started = performance.now();
  const bytes = (await stat(file)).size;
  const accepted = await fetch(`${server.origin}/api/v1/devices/import?${query}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv' },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (accepted.status !== 202) throw new Error(`import: ${accepted.status} ${await accepted.text()}`);
  let job = (await accepted.json()) as ImportJob;
  while (job.state === 'queued' || job.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    job = (await (await fetch(`${server.origin}/api/v1/imports/${job.id}`, { headers })).json()) as ImportJob;
  }
  const seconds = (performance.now() - started) / 1000;
  const latencies = await health.stop();
  const rss = await ask<{ baselineMb: number; peakMb: number }>(server, 'report');
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    job,
    seconds,
    bytes,
    rss,
    health: {
      count: sorted.length,
      max: sorted.at(-1) ?? 0,
      p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
    },
  };
}

/** Asks /api/v1/health every 100 ms (one at a time) until stopped; returns each answer's latency. */
function probeHealth(origin: string): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const begin = performance.now();
      const response = await fetch(`${origin}/api/v1/health`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`health: ${response.status}`);
      latencies.push(performance.now() - begin);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return latencies;
    },
  };
}

async function writeLines(file: string, header: string, rows: number, line: (index: number) => string) {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (let index = 0; index < rows; index++) {
    if (!out.write(`${line(index)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

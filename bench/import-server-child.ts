import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { ephemeralKeys } from '../src/server/secrets/keyring.ts';
import { openTargetAt } from './targets.ts';

/**
 * A Satchel server in a process of its own, listening on loopback, for the large-import benchmark: the
 * benchmark uploads files to it and probes its health from outside. It samples its own RSS and reports the
 * figures when asked over IPC.
 */
const env = process.env;
const database = await openTargetAt(env.BENCH_KIND!, env.BENCH_LOCATION!);
const uploadDir = await mkdtemp(path.join(tmpdir(), 'satchel-bench-uploads-'));
const { app } = await buildApp({
  config: loadConfig({
    NODE_ENV: 'test',
    SATCHEL_DATA_DIR: env.BENCH_DATA_DIR!,
    SATCHEL_UPLOAD_DIR: uploadDir,
  }),
  database,
  ...ephemeralKeys(),
  jobs: undefined,
  log: pino({ level: 'silent' }),
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;

let baseline = process.memoryUsage().rss;
let peak = baseline;
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 25).unref();

process.on('message', async (message: string) => {
  if (message === 'reset') {
    global.gc?.();
    baseline = process.memoryUsage().rss;
    peak = baseline;
    process.send?.({ baselineMb: baseline / 1e6 });
  } else if (message === 'report') {
    process.send?.({ baselineMb: baseline / 1e6, peakMb: peak / 1e6 });
  } else if (message === 'stop') {
    await app.close();
    await database.close();
    await rm(uploadDir, { recursive: true, force: true });
    process.exit(0);
  }
});
process.send?.({ port });

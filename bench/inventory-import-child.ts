import { createReadStream } from 'node:fs';
import pino from 'pino';
import { buildApp } from '../src/server/app.ts';
import { createToken } from '../src/server/auth/api-tokens.ts';
import { loadConfig } from '../src/server/config.ts';
import { systemContext } from '../src/server/context.ts';
import { ephemeralKeys } from '../src/server/secrets/keyring.ts';
import { openTargetAt } from './targets.ts';

/** One CSV import through the HTTP stack, in a process of its own so its peak RSS is its own. */
const log = pino({ level: 'silent' });
const env = process.env;
const database = await openTargetAt(env.BENCH_KIND!, env.BENCH_LOCATION!);
const districtId = env.BENCH_DISTRICT!;
const user = await database.db
  .selectFrom('users')
  .select('id')
  .where('district_id', '=', districtId)
  .executeTakeFirstOrThrow();
const { secret } = await createToken({ ...systemContext(districtId, log), userId: user.id }, database.db, {
  name: 'import',
});
const { app } = await buildApp({
  config: loadConfig({ NODE_ENV: 'test', SATCHEL_DATA_DIR: env.BENCH_DATA_DIR! }),
  database,
  ...ephemeralKeys(),
  jobs: undefined,
  log,
});
// PGlite's engine peaks at about 1 GB while it starts (WebAssembly compilation), so the figure that
// describes the import is the RSS sampled while it runs.
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
}, 25);
const started = performance.now();
const headers = { authorization: `Bearer ${secret}` };
const response = await app.inject({
  method: 'POST',
  url: '/api/v1/devices/import?dryRun=false',
  headers: { ...headers, 'content-type': 'text/csv' },
  payload: createReadStream(env.BENCH_CSV!),
});
// A file over 1 MB is imported in the background: follow it to its end.
let job = response.json();
while (response.statusCode === 202 && (job.state === 'queued' || job.state === 'running')) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  job = (await app.inject({ method: 'GET', url: `/api/v1/imports/${job.id}`, headers })).json();
}
const body = response.statusCode === 202 ? job.result : job;
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
await app.close();
await database.close();
process.stdout.write(
  JSON.stringify({
    seconds,
    rssBeforeMb: rssBefore / 1e6,
    rssPeakMb: rssPeak / 1e6,
    startupPeakMb: process.resourceUsage().maxRSS / 1024,
    counts: {
      status: response.statusCode,
      committed: body.committed,
      create: body.create,
      invalid: body.invalid,
    },
  }),
);

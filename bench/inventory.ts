import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { buildApp } from '../src/server/app.ts';
import { createToken } from '../src/server/auth/api-tokens.ts';
import { loadConfig } from '../src/server/config.ts';
import { systemContext } from '../src/server/context.ts';
import { migrateToLatest } from '../src/server/db/connect.ts';
import { createDistrictWithAdmin } from '../src/server/districts/service.ts';
import { generateDemoData } from '../src/server/inventory/demo-data.ts';
import { ephemeralKeys } from '../src/server/secrets/keyring.ts';
import { measureMdmSearch, seedMdmRecords } from './inventory-mdm-search.ts';
import { measureLargeImports } from './large-import.ts';
import { createTarget, postgresUrl, runChild, type TargetKind } from './targets.ts';

/**
 * `npm run bench -- inventory`: 100,000 devices; device-list page and search latency through the HTTP stack,
 * then a 100,000-row CSV import in a separate process (its own peak RSS). PGlite always; PostgreSQL when
 * TEST_DATABASE_URL (or BENCH_DATABASE_URL) is set.
 */
const DEVICES = Number(process.env.BENCH_DEVICES ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const log = pino({ level: 'silent' });

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('serial_number,asset_tag,model,manufacturer,type,status,notes\n');
  for (let index = 0; index < rows; index++) {
    const line = `IMP${String(index).padStart(8, '0')},T${String(index).padStart(8, '0')},Dell Chromebook 3110,Dell,chromebook,in_service,Imported in the benchmark\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function measure(kind: TargetKind): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'satchel-bench-inventory-'));
  const target = await createTarget(kind, dataDir, 'inventory');
  const database = await target.open();
  await migrateToLatest(database.db);
  const { districtId, admin } = await createDistrictWithAdmin(
    database.db,
    {
      districtName: 'Bench Unified',
      adminName: 'Bench',
      adminEmail: `bench-${randomBytes(4).toString('hex')}@example.org`,
      adminPassword: 'benchmark password',
    },
    { label: 'bench', ip: null, log },
  );
  let started = performance.now();
  const seeded = await generateDemoData(database.db, districtId, {
    devices: DEVICES,
    people: Math.round(DEVICES * 0.8),
    seed: 1,
  });
  const seedSeconds = (performance.now() - started) / 1000;
  await seedMdmRecords(database.db, districtId);
  await sql`analyze`.execute(database.db);

  const config = loadConfig({ NODE_ENV: 'test', SATCHEL_DATA_DIR: dataDir });
  const { app } = await buildApp({ config, database, ...ephemeralKeys(), jobs: undefined, log });
  const ctx = { ...systemContext(districtId, log), userId: admin.id };
  const { secret } = await createToken(ctx, database.db, { name: 'bench' });
  const headers = { authorization: `Bearer ${secret}` };
  const timeRequest = async (url: string) => {
    const begin = performance.now();
    const response = await app.inject({ method: 'GET', url, headers });
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    return performance.now() - begin;
  };
  const listTimes: number[] = [];
  const searchTimes: number[] = [];
  const serialTimes: number[] = [];
  const names = ['garcia', 'nguyen', 'patel', 'okafor', 'tanaka'];
  for (let sample = 0; sample < SAMPLES; sample++) {
    const page = 1 + (sample % 20);
    listTimes.push(
      await timeRequest(
        `/api/v1/devices?status=in_service&status=spare&sort=model&order=desc&pageSize=50&page=${page}`,
      ),
    );
    searchTimes.push(await timeRequest(`/api/v1/devices?q=${names[sample % names.length]}&pageSize=50`));
    serialTimes.push(await timeRequest(`/api/v1/devices?q=5CD${String(100 + sample)}&pageSize=50`));
  }
  const mdmSearchLines = await measureMdmSearch(timeRequest, seeded.devices, SAMPLES);
  await app.close();
  await database.close();

  const csvFile = path.join(dataDir, 'import.csv');
  await writeCsv(csvFile, DEVICES);
  started = performance.now();
  const importReport = await runChild<{
    seconds: number;
    rssBeforeMb: number;
    rssPeakMb: number;
    startupPeakMb: number;
    counts: Record<string, unknown>;
  }>('inventory-import-child.ts', {
    BENCH_KIND: kind,
    BENCH_DATA_DIR: dataDir,
    BENCH_LOCATION: target.location,
    BENCH_DISTRICT: districtId,
    BENCH_CSV: csvFile,
  });
  const importSeconds = (performance.now() - started) / 1000;

  console.log(
    `\n${kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL'} — ${seeded.devices} devices, ${seeded.people} people (seeded in ${seedSeconds.toFixed(1)} s)`,
  );
  console.log(
    `  device list, 2 statuses, sorted by model, 50/page   median ${median(listTimes).toFixed(1)} ms   (${SAMPLES} requests)`,
  );
  console.log(
    `  search by person name (q=garcia…)                  median ${median(searchTimes).toFixed(1)} ms`,
  );
  console.log(
    `  search by serial fragment (q=5CD1…)                median ${median(serialTimes).toFixed(1)} ms`,
  );
  for (const line of mdmSearchLines) console.log(line);
  console.log(
    `  CSV import, ${DEVICES} new rows: ${importReport.seconds.toFixed(1)} s (${importSeconds.toFixed(1)} s with process start); ` +
      `RSS ${importReport.rssBeforeMb.toFixed(0)} MB before, peak ${importReport.rssPeakMb.toFixed(0)} MB during the import ` +
      `(process peak incl. database start ${importReport.startupPeakMb.toFixed(0)} MB); ${JSON.stringify(importReport.counts)}`,
  );
  await target.drop();
  await rm(dataDir, { recursive: true, force: true });
}

/** Imports of any size, on PostgreSQL: a 1,000,000-row file and 60 MB of bad rows, against a server process. */
async function measureLarge(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'satchel-bench-large-import-'));
  const target = await createTarget('postgres', dataDir, 'large_import');
  const database = await target.open();
  await migrateToLatest(database.db);
  const { districtId, admin } = await createDistrictWithAdmin(
    database.db,
    {
      districtName: 'Bench Large Import',
      adminName: 'Bench',
      adminEmail: `bench-${randomBytes(4).toString('hex')}@example.org`,
      adminPassword: 'benchmark password',
    },
    { label: 'bench', ip: null, log },
  );
  const { secret } = await createToken({ ...systemContext(districtId, log), userId: admin.id }, database.db, {
    name: 'bench',
  });
  await database.close();
  const rows = Number(process.env.BENCH_LARGE_ROWS ?? 1_000_000);
  console.log(`\nPostgreSQL — imports of any size, in a server process, /api/v1/health asked every 100 ms`);
  try {
    await measureLargeImports({
      kind: 'postgres',
      location: target.location,
      dataDir,
      token: secret,
      rows,
      badMegabytes: Number(process.env.BENCH_BAD_MB ?? 60),
    });
  } finally {
    await target.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// BENCH_SECTIONS=large measures only the imports of any size; =list only the 100,000-device figures.
const sections = process.env.BENCH_SECTIONS ?? 'list,large';
if (sections.includes('list')) {
  await measure('pglite');
  if (postgresUrl) await measure('postgres');
}
if (!postgresUrl)
  console.log('\nPostgreSQL: set TEST_DATABASE_URL (or BENCH_DATABASE_URL) to measure it too');
else if (sections.includes('large')) await measureLarge();

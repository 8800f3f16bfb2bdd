import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CLIENT, DEFAULT_DOMAIN, generateFleet, startFakeGoogle } from '../fakes/google/index.ts';
import { DEVICE_STATUSES } from '../src/common/inventory.ts';
import { loadConfig } from '../src/server/config.ts';
import { systemContext } from '../src/server/context.ts';
import { migrateToLatest } from '../src/server/db/connect.ts';
import { createDistrictWithAdmin } from '../src/server/districts/service.ts';
import { generateDemoData } from '../src/server/inventory/demo-data.ts';
import { listTrackableDevices } from '../src/server/inventory/index.ts';
import { createLogger, openDatabase, startServer } from '../src/server/runtime.ts';

/**
 * `npm run demo`: Satchel on a fresh embedded database with a demo district, and the fake Google configured as
 * Google — so Activate → Authorize → Allow works without a Google account. Nothing here is real.
 */
const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 3000);
const publicUrl = `http://localhost:${port}`;
const dataDir = path.join(root, 'data-demo');
await rm(dataDir, { recursive: true, force: true });

const fake = await startFakeGoogle({
  port: Number(process.env.FAKE_GOOGLE_PORT ?? 4010),
  clients: [{ ...DEFAULT_CLIENT, redirectUris: [`${publicUrl}/api/v1/mdm/providers/google/oauth/callback`] }],
  latencyMs: 40,
});

const environment: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: String(port),
  PUBLIC_URL: publicUrl,
  SATCHEL_DATA_DIR: dataDir,
  GOOGLE_CLIENT_ID: DEFAULT_CLIENT.clientId,
  GOOGLE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret ?? '',
  GOOGLE_OAUTH_AUTH_URL: fake.authUrl,
  GOOGLE_OAUTH_TOKEN_URL: fake.tokenUrl,
  GOOGLE_OAUTH_REVOKE_URL: fake.revokeUrl,
  GOOGLE_API_ROOT_URL: fake.apiRootUrl,
};
// The demo always runs on its own embedded database.
delete environment.DATABASE_URL;
const config = loadConfig(environment);
const log = createLogger(config);

const password = randomBytes(9).toString('base64url');
const email = 'admin@demo.satchel.example.org';
const { database, lock } = await openDatabase(config);
await migrateToLatest(database.db);
const { districtId } = await createDistrictWithAdmin(
  database.db,
  {
    districtName: 'Demo Unified School District',
    adminName: 'Demo Administrator',
    adminEmail: email,
    adminPassword: password,
  },
  { label: 'demo', ip: null, log },
);
await generateDemoData(database.db, districtId, { devices: 3000, people: 2400, seed: 2026 });
const tracked = await listTrackableDevices(systemContext(districtId, log), database.db, DEVICE_STATUSES);
await database.close();
await lock?.release();

// Google knows most of the district's devices, plus devices Satchel must never import.
const known = tracked.filter((_, index) => index % 10 !== 0).map((device) => device.serialKey);
fake.setFleet(
  DEFAULT_DOMAIN,
  generateFleet({
    size: known.length + 400,
    serials: known,
    junk: 300,
    deprovisioned: 60,
    duplicatesOf: known.slice(0, 25),
    seed: 2026,
  }),
);

const server = await startServer(config, log);
console.log(`
Satchel demo is running at ${publicUrl}
  Sign in as ${email} with password ${password}
  Then: System Settings › MDM Settings › Google › Activate › Authorize with Google › Allow
  (the consent page is the fake Google at ${fake.url}; its account admin@${DEFAULT_DOMAIN} manages ${known.length + 400} ChromeOS devices)
Stop with Ctrl+C; the demo's data lives in ./data-demo and is recreated on every start.
`);

const stop = async () => {
  await server.stop();
  await fake.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

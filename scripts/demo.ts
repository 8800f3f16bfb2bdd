import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/server/config.ts';
import { migrateToLatest } from '../src/server/db/connect.ts';
import { createDistrictWithAdmin } from '../src/server/districts/service.ts';
import { generateDemoData } from '../src/server/inventory/demo-data.ts';
import { createLogger, openDatabase, startServer } from '../src/server/runtime.ts';
import { startGoogle } from './demo/google.ts';
import { startIntune } from './demo/intune.ts';
import { startJamfPro } from './demo/jamf-pro.ts';
import { startJamfSchool } from './demo/jamf-school.ts';
import { DEMO_DOMAIN, enableDemoSignIn, startSignIn } from './demo/sign-in.ts';
import type { DemoFake, DemoInventory } from './demo/types.ts';

/**
 * `npm run demo`: Satchel on a fresh embedded database with a demo district of Chromebooks, Windows laptops,
 * Macs and iPads, and a fake of each MDM on loopback configured as that MDM — so every provider on MDM Settings
 * can be activated and authorized without an account anywhere. Nothing here is real.
 */
const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 3000);
const publicUrl = `http://localhost:${port}`;
const dataDir = path.join(root, 'data-demo');
await rm(dataDir, { recursive: true, force: true });

const baseEnvironment: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: String(port),
  PUBLIC_URL: publicUrl,
  SATCHEL_DATA_DIR: dataDir,
  // The Jamf fakes listen on loopback over http, which district-entered URLs may not use otherwise.
  SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS: 'true',
};
// The demo always runs on its own embedded database.
delete baseEnvironment.DATABASE_URL;
const setupConfig = loadConfig(baseEnvironment);
const log = createLogger(setupConfig);

const password = randomBytes(9).toString('base64url');
const email = `admin@${DEMO_DOMAIN}`;
const { database, lock } = await openDatabase(setupConfig);
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
await enableDemoSignIn(database.db, districtId);
const devices = await database.db
  .selectFrom('devices')
  .select(['serial_key', 'type', 'manufacturer'])
  .where('district_id', '=', districtId)
  .orderBy('serial_key')
  .execute();
await database.close();
await lock?.release();

const ofKind = (test: (device: (typeof devices)[number]) => boolean) =>
  devices.filter(test).map((device) => device.serial_key);
const inventory: DemoInventory = {
  chromebooks: ofKind((device) => device.type === 'chromebook'),
  windowsLaptops: ofKind((device) => device.type === 'laptop' && device.manufacturer !== 'Apple'),
  macs: ofKind((device) => device.type === 'laptop' && device.manufacturer === 'Apple'),
  ipads: ofKind((device) => device.type === 'tablet'),
};
const fakes: DemoFake[] = [];
for (const start of [startGoogle, startIntune, startJamfPro, startJamfSchool])
  fakes.push(await start(publicUrl, inventory));
fakes.push(await startSignIn(publicUrl, email));

const config = loadConfig({
  ...baseEnvironment,
  ...Object.assign({}, ...fakes.map((fake) => fake.environment)),
});
const server = await startServer(config, log);
console.log(`
Satchel demo is running at ${publicUrl}
  Sign in as ${email} with password ${password}
  Then, in System Settings › MDM Settings:
${fakes.flatMap((fake) => fake.instructions.map((line) => `    ${line}`)).join('\n')}
Stop with Ctrl+C; the demo's data lives in ./data-demo and is recreated on every start.
`);

const stop = async () => {
  await server.stop();
  await Promise.all(fakes.map((fake) => fake.close()));
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

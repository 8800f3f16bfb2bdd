import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { DEFAULT_DOMAIN } from '../../fakes/google/index.ts';
import { loadConfig } from '../../src/server/config.ts';
import { migrateToLatest } from '../../src/server/db/connect.ts';
import type { DB } from '../../src/server/db/schema.ts';
import { createDistrictWithAdmin } from '../../src/server/districts/service.ts';
import { generateDemoData } from '../../src/server/inventory/demo-data.ts';
import { createLogger, openDatabase, type RunningServer, startServer } from '../../src/server/runtime.ts';
import type { DemoFake, DemoInventory } from './types.ts';

export interface DemoOptions {
  port: number;
  dataDir: string;
  devices: number;
  people: number;
  /** The fakes to start, each given the district's inventory to know part of. */
  fakes: ((publicUrl: string, inventory: DemoInventory) => Promise<DemoFake>)[];
  /** Sign-in with Google and Microsoft: turned on for the district, with fake providers that know its admin. */
  signIn?: {
    enable(db: Kysely<DB>, districtId: string): Promise<void>;
    start(publicUrl: string, adminEmail: string): Promise<DemoFake>;
  };
}

export interface RunningDemo {
  url: string;
  email: string;
  password: string;
  fakes: DemoFake[];
  stop(): Promise<void>;
}

export const DEMO_ADMIN_EMAIL = 'admin@demo.satchel.example.org';

/**
 * Satchel on a fresh embedded database in `dataDir` with a demo district, and each fake MDM on loopback
 * configured as that MDM. Nothing here is real.
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const publicUrl = `http://localhost:${options.port}`;
  await rm(options.dataDir, { recursive: true, force: true });
  const baseEnvironment: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.port),
    PUBLIC_URL: publicUrl,
    SATCHEL_DATA_DIR: options.dataDir,
    // The Jamf fakes listen on loopback over http, which district-entered URLs may not use otherwise.
    SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS: 'true',
  };
  // The demo always runs on its own embedded database.
  delete baseEnvironment.DATABASE_URL;
  const setupConfig = loadConfig(baseEnvironment);
  const log = createLogger(setupConfig);

  const password = randomBytes(9).toString('base64url');
  const { database, lock } = await openDatabase(setupConfig);
  await migrateToLatest(database.db);
  const { districtId } = await createDistrictWithAdmin(
    database.db,
    {
      districtName: 'Demo Unified School District',
      adminName: 'Demo Administrator',
      adminEmail: DEMO_ADMIN_EMAIL,
      adminPassword: password,
    },
    { label: 'demo', ip: null, log },
  );
  await generateDemoData(database.db, districtId, {
    devices: options.devices,
    people: options.people,
    seed: 2026,
    domain: DEFAULT_DOMAIN,
  });
  await options.signIn?.enable(database.db, districtId);
  const devices = await database.db
    .selectFrom('devices')
    .leftJoin('people', 'people.id', 'devices.assigned_person_id')
    .select(['devices.serial_key', 'devices.type', 'devices.manufacturer', 'devices.model', 'people.email'])
    .where('devices.district_id', '=', districtId)
    .orderBy('devices.serial_key')
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
    facts: Object.fromEntries(
      devices.map((device) => [device.serial_key, { model: device.model, user: device.email }]),
    ),
  };
  const fakes: DemoFake[] = [];
  for (const start of options.fakes) fakes.push(await start(publicUrl, inventory));
  if (options.signIn) fakes.push(await options.signIn.start(publicUrl, DEMO_ADMIN_EMAIL));

  const config = loadConfig({
    ...baseEnvironment,
    ...Object.assign({}, ...fakes.map((fake) => fake.environment)),
  });
  const server: RunningServer = await startServer(config, log);
  return {
    url: publicUrl,
    email: DEMO_ADMIN_EMAIL,
    password,
    fakes,
    stop: async () => {
      await server.stop();
      await Promise.all(fakes.map((fake) => fake.close()));
    },
  };
}

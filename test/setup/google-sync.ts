import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { type FakeGoogle, generateFleet } from '../../fakes/google/index.ts';
import { DEVICE_STATUSES } from '../../src/common/inventory.ts';
import { systemContext } from '../../src/server/context.ts';
import { generateDemoData } from '../../src/server/inventory/demo-data.ts';
import { listTrackableDevices } from '../../src/server/inventory/index.ts';
import { runSync } from '../../src/server/mdm/sync/engine.ts';
import { queueRun } from '../../src/server/mdm/sync/runs.ts';
import { silentLog, type TestApp } from './app.ts';
import { createDistrict, type Session, signIn, type TestDistrict } from './factories.ts';
import { activateAndAuthorizeGoogle } from './google.ts';
import { inventorySnapshot as snapshotOf, storedRecords } from './sync-snapshots.ts';

export interface Fixture {
  district: TestDistrict;
  session: Session;
  districtId: string;
  connectionId: string;
  tracked: { id: string; serialKey: string }[];
  domain: string;
}

let districtCounter = 0;

/**
 * Sync test helpers bound to a file's fake Google and test app: districts with inventory and an authorized
 * connection, runs driven through the engine, and snapshots of what is stored.
 */
export function syncHarness(env: () => { fake: FakeGoogle; testApp: TestApp }) {
  /** A district with inventory, a Google fleet that knows part of it plus junk and retired devices, and an authorized connection. */
  async function connectedDistrict(options: {
    devices: number;
    overlap: number;
    junk: number;
  }): Promise<Fixture> {
    const { fake, testApp } = env();
    const seed = ++districtCounter;
    const district = await createDistrict(testApp.database);
    await generateDemoData(testApp.database.db, district.id, { devices: options.devices, people: 50, seed });
    const domain = `district${seed}-${district.id.slice(0, 8)}.example.org`;
    const ctx = systemContext(district.id, silentLog);
    const all = await listTrackableDevices(ctx, testApp.database.db, DEVICE_STATUSES);
    const tracked = await listTrackableDevices(ctx, testApp.database.db, [
      'in_service',
      'spare',
      'in_repair',
      'lost',
      'stolen',
    ]);
    const known = all.slice(0, Math.round(all.length * options.overlap)).map((device) => device.serialKey);
    fake.addCustomer({ domain });
    fake.setFleet(
      domain,
      generateFleet({
        size: known.length + options.junk,
        serials: known,
        junk: options.junk,
        duplicatesOf: known.slice(0, 3),
        caseVariants: 5,
        domain,
        seed,
      }),
    );
    const session = await signIn(testApp.app, district.admin);
    await activateAndAuthorizeGoogle(session, fake, `admin@${domain}`);
    const connection = await testApp.database.db
      .selectFrom('mdm_connections')
      .select(['id', 'state'])
      .where('district_id', '=', district.id)
      .executeTakeFirstOrThrow();
    expect(connection.state).toBe('active');
    return { district, session, districtId: district.id, connectionId: connection.id, tracked, domain };
  }

  /** Queues a run of the district's Google connection without running it. */
  async function queue(fixture: Fixture, trigger: 'manual' | 'schedule' = 'manual') {
    const { run } = await queueRun(env().testApp.database.db, {
      districtId: fixture.districtId,
      connectionId: fixture.connectionId,
      provider: 'google',
      trigger,
    });
    return run;
  }

  /** Runs (or resumes) a queued run in this process, as a worker's job would. */
  function runQueued(fixture: Fixture, runId: string, signal = new AbortController().signal) {
    const { testApp } = env();
    return runSync(
      { db: testApp.database.db, keyring: testApp.deps.keyring, config: testApp.deps.config, log: silentLog },
      runId,
      fixture.districtId,
      signal,
    );
  }

  /** Runs (or resumes) a queued run in a worker process of its own (PostgreSQL only), which exits after it. */
  function spawnRunWorker(fixture: Fixture, runId: string): ChildProcess {
    const { testApp } = env();
    return spawn(process.execPath, [path.resolve(import.meta.dirname, 'sync-worker.ts')], {
      env: {
        ...process.env,
        ...testApp.environment,
        SYNC_DATABASE_URL: testApp.database.url!,
        SYNC_SECRET_KEY: testApp.deps.secretKey.toString('base64'),
        SYNC_RUN_ID: runId,
        SYNC_DISTRICT_ID: fixture.districtId,
      },
      stdio: 'inherit',
    });
  }

  /** Queues a run with this trigger and runs it to the end in this process; returns it as the API shows it. */
  async function sync(fixture: Fixture, trigger: 'manual' | 'schedule' = 'manual') {
    const { fake } = env();
    const run = await queue(fixture, trigger);
    const mark = fake.mark();
    await runQueued(fixture, run.id);
    const finished = (
      await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })
    ).json();
    return { run: finished, requests: fake.requestsSince(mark) };
  }

  const inventorySnapshot = (districtId: string) => snapshotOf(env().testApp.database.db, districtId);
  const records = (districtId: string) => storedRecords(env().testApp.database.db, districtId);

  return { connectedDistrict, queue, runQueued, spawnRunWorker, sync, inventorySnapshot, records };
}

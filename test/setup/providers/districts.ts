import { DEVICE_STATUSES } from '../../../src/common/inventory.ts';
import type { ProviderKey } from '../../../src/common/mdm.ts';
import { systemContext } from '../../../src/server/context.ts';
import { generateDemoData } from '../../../src/server/inventory/demo-data.ts';
import { listTrackableDevices } from '../../../src/server/inventory/index.ts';
import { runSync } from '../../../src/server/mdm/sync/engine.ts';
import { queueRun } from '../../../src/server/mdm/sync/runs.ts';
import { silentLog, type TestApp } from '../app.ts';
import { createDistrict, type Session, signIn, type TestDistrict } from '../factories.ts';
import { inventorySnapshot as snapshotOf, storedRecords } from '../sync-snapshots.ts';
import type { FakeTenant, ProviderFake } from './harness.ts';

/** The statuses a connection syncs by default: every one but retired and disposed. */
const TRACKED_STATUSES = ['in_service', 'spare', 'in_repair', 'lost', 'stolen'] as const;

export interface ConnectedDistrict {
  district: TestDistrict;
  session: Session;
  connectionId: string;
  tenant: FakeTenant;
  /** Devices with a synced status: the only ones a run may ask about. */
  tracked: { id: string; serialKey: string }[];
  /** Every inventory device, retired and disposed ones included. */
  all: { id: string; serialKey: string }[];
}

let seeds = 0;

/**
 * Districts connected to one provider's fake, with runs driven through the engine in this process (as a worker's
 * job would run them) and snapshots of what is stored.
 */
export function providerDistricts(key: ProviderKey, env: () => { fake: ProviderFake; testApp: TestApp }) {
  /**
   * A district with `devices` inventory devices, a tenant at the provider that knows `overlap` of them (retired and
   * disposed ones included) plus `junk` devices of its own, and an active connection under `requestScope`.
   */
  async function connect(options: {
    devices: number;
    overlap: number;
    junk: number;
    requestScope: 'tracked_only' | 'fewest_calls';
  }): Promise<ConnectedDistrict> {
    const { fake, testApp } = env();
    const seed = ++seeds;
    const district = await createDistrict(testApp.database);
    await generateDemoData(testApp.database.db, district.id, { devices: options.devices, people: 30, seed });
    const ctx = systemContext(district.id, silentLog);
    const all = await listTrackableDevices(ctx, testApp.database.db, DEVICE_STATUSES);
    const tracked = await listTrackableDevices(ctx, testApp.database.db, TRACKED_STATUSES);
    const known = all.slice(0, Math.round(all.length * options.overlap)).map((device) => device.serialKey);
    const tenant = await fake.addTenant({
      serials: known,
      junk: options.junk,
      duplicatesOf: known.slice(0, 2),
      seed,
    });
    const session = await signIn(testApp.app, district.admin);
    const activated = await session.inject({
      method: 'POST',
      url: `/api/v1/mdm/providers/${key}/activate`,
      payload: { settings: { ...tenant.settings, requestScope: options.requestScope } },
    });
    if (activated.statusCode !== 200) throw new Error(`activation failed: ${activated.body}`);
    await tenant.authorize(session);
    const connection = await testApp.database.db
      .selectFrom('mdm_connections')
      .select(['id', 'state', 'status_reason'])
      .where('district_id', '=', district.id)
      .where('provider', '=', key)
      .executeTakeFirstOrThrow();
    if (connection.state !== 'active')
      throw new Error(`authorization failed: ${connection.state} ${connection.status_reason}`);
    return { district, session, connectionId: connection.id, tenant, tracked, all };
  }

  async function queue(connected: ConnectedDistrict, trigger: 'manual' | 'schedule' = 'manual') {
    const { run } = await queueRun(env().testApp.database.db, {
      districtId: connected.district.id,
      connectionId: connected.connectionId,
      provider: key,
      trigger,
    });
    return run;
  }

  function runQueued(connected: ConnectedDistrict, runId: string, signal = new AbortController().signal) {
    const { testApp } = env();
    return runSync(
      { db: testApp.database.db, keyring: testApp.deps.keyring, config: testApp.deps.config, log: silentLog },
      runId,
      connected.district.id,
      signal,
    );
  }

  /** The run as the API shows it. */
  async function runOf(connected: ConnectedDistrict, runId: string) {
    return (await connected.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${runId}` })).json();
  }

  /** Queues a run and runs it to the end in this process; returns it as the API shows it, and the requests sent. */
  async function sync(connected: ConnectedDistrict, trigger: 'manual' | 'schedule' = 'manual') {
    const { fake } = env();
    const run = await queue(connected, trigger);
    const mark = fake.mark();
    await runQueued(connected, run.id);
    return { run: await runOf(connected, run.id), requests: fake.requestsSince(mark) };
  }

  const inventorySnapshot = (districtId: string) => snapshotOf(env().testApp.database.db, districtId);
  const records = (districtId: string) => storedRecords(env().testApp.database.db, districtId, key);

  return { connect, queue, runQueued, runOf, sync, inventorySnapshot, records };
}

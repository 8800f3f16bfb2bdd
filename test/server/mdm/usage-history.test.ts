import { describe, expect, it } from 'vitest';
import { systemContext } from '../../../src/server/context.ts';
import { generateDemoData } from '../../../src/server/inventory/demo-data.ts';
import { disconnect, removeSyncedData } from '../../../src/server/mdm/connections/service.ts';
import { forgetOldUsageHistory, purgeRemovedRecords } from '../../../src/server/mdm/records/usage-history.ts';
import { silentLog, withTestApp } from '../../setup/app.ts';
import { createDistrict, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();
const DAY_MS = 86_400_000;

/** A district with an authorized Google connection and one record per device, fetched `ageDays[i]` days ago. */
async function districtWithRecords(ageDays: number[]) {
  const { database } = testApp();
  const district = await createDistrict(database);
  await generateDemoData(database.db, district.id, { devices: ageDays.length, people: 5 });
  const connection = await database.db
    .insertInto('mdm_connections')
    .values({
      district_id: district.id,
      provider: 'google',
      state: 'active',
      settings: '{}',
      secret: 'sealed',
      authorized_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const devices = await database.db
    .selectFrom('devices')
    .select('id')
    .where('district_id', '=', district.id)
    .orderBy('serial_key')
    .execute();
  const writeRecords = (ids: string[], ages: number[], runId: string | null = null) =>
    database.db
      .insertInto('mdm_device_records')
      .values(
        ids.map((deviceId, index) => ({
          district_id: district.id,
          device_id: deviceId,
          provider: 'google',
          provider_device_id: `g-${index}`,
          fields: JSON.stringify({
            osVersion: '120',
            recentUsers: ['stu.dent@students.example.org'],
            ipAddress: '10.1.2.3',
          }),
          extras: JSON.stringify({ lastKnownNetwork: { ipAddress: '10.1.2.3' }, bootMode: 'Verified' }),
          content_hash: 'hash',
          match_state: 'matched' as const,
          fetched_at: new Date(Date.now() - (ages[index] ?? 0) * DAY_MS),
          seen_by_run_id: runId,
        })),
      )
      .execute();
  await writeRecords(
    devices.map((device) => device.id),
    ageDays,
  );
  return {
    district,
    connectionId: connection.id,
    deviceIds: devices.map((device) => device.id),
    writeRecords,
  };
}

async function recordsOf(districtId: string) {
  return testApp()
    .database.db.selectFrom('mdm_device_records')
    .select(['fields', 'extras', 'fetched_at'])
    .where('district_id', '=', districtId)
    .orderBy('fetched_at')
    .execute();
}

describe('MDM usage history', () => {
  it('is forgotten once older than the district keeps it: 90 days unless it chooses otherwise', async () => {
    const { app } = testApp();
    const { district } = await districtWithRecords([120, 30]);
    await forgetOldUsageHistory(testApp().database.db);
    const [old, recent] = await recordsOf(district.id);
    expect(old?.fields).toEqual({ osVersion: '120', recentUsers: [], ipAddress: null });
    expect(old?.extras).toEqual({ bootMode: 'Verified' });
    expect(recent?.fields).toMatchObject({
      recentUsers: ['stu.dent@students.example.org'],
      ipAddress: '10.1.2.3',
    });

    const admin = await signIn(app, district.admin);
    const shorter = await admin.inject({
      method: 'PATCH',
      url: '/api/v1/district/settings',
      payload: { mdmHistoryRetentionDays: 7 },
    });
    expect(shorter.statusCode).toBe(200);
    await forgetOldUsageHistory(testApp().database.db);
    for (const record of await recordsOf(district.id)) {
      expect(record.fields).toMatchObject({ recentUsers: [], ipAddress: null });
      expect(JSON.stringify(record)).not.toContain('10.1.2.3');
    }
  });

  it('goes with a disconnect, and a page written during it is purged by the hourly job', async () => {
    const { database, deps } = testApp();
    const gone = await districtWithRecords([1, 2, 3]);
    const stays = await districtWithRecords([1, 2]);
    const ctx = systemContext(gone.district.id, silentLog);
    await disconnect(ctx, { db: database.db, keyring: deps.keyring, config: deps.config }, 'google');
    expect(await recordsOf(gone.district.id)).toEqual([]);

    // A sync page that was already being written when the district disconnected.
    await gone.writeRecords(gone.deviceIds.slice(0, 2), [0, 0]);
    expect(await recordsOf(gone.district.id)).toHaveLength(2);
    await purgeRemovedRecords(database.db);
    expect(await recordsOf(gone.district.id)).toEqual([]);
    expect(await recordsOf(stays.district.id)).toHaveLength(2);
  });

  it('goes with Remove synced data, and what a run begun before it writes afterwards is purged by the hourly job', async () => {
    const { database, deps } = testApp();
    const removed = await districtWithRecords([1, 2, 3]);
    const runOf = async (queuedAt: Date, state: 'running' | 'succeeded') =>
      (
        await database.db
          .insertInto('sync_runs')
          .values({
            district_id: removed.district.id,
            connection_id: removed.connectionId,
            provider: 'google',
            trigger: 'manual',
            state,
            counters: '{}',
            queued_at: queuedAt,
            started_at: queuedAt,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const earlier = await runOf(new Date(Date.now() - 60_000), 'running');
    const ctx = systemContext(removed.district.id, silentLog);
    await removeSyncedData(ctx, { db: database.db, keyring: deps.keyring, config: deps.config }, 'google');
    expect(await recordsOf(removed.district.id)).toEqual([]);

    // The run that was under way writes one more page; a run begun afterwards writes one too.
    await removed.writeRecords(removed.deviceIds.slice(0, 1), [0], earlier);
    const later = await runOf(new Date(Date.now() + 1000), 'succeeded');
    await removed.writeRecords(removed.deviceIds.slice(1, 3), [0, 0], later);
    await purgeRemovedRecords(database.db);
    const left = await database.db
      .selectFrom('mdm_device_records')
      .select('seen_by_run_id')
      .where('district_id', '=', removed.district.id)
      .execute();
    expect(left.map((record) => record.seen_by_run_id)).toEqual([later, later]);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../../src/server/cli/commands.ts';
import { loadConfig } from '../../../src/server/config.ts';
import type { Database } from '../../../src/server/db/connect.ts';
import { countDistrictRows } from '../../../src/server/districts/deletion.ts';
import { generateDemoData } from '../../../src/server/inventory/demo-data.ts';
import { JobQueue } from '../../../src/server/jobs/boss.ts';
import { queueRevocation, retryRevocation } from '../../../src/server/mdm/connections/jobs.ts';
import { ephemeralKeys } from '../../../src/server/secrets/keyring.ts';
import { silentLog } from '../../setup/app.ts';
import { openTestDatabase } from '../../setup/database.ts';
import { addUser, createDistrict, type TestDistrict } from '../../setup/factories.ts';

let database: Database;
let queue: JobQueue;
const { keyring } = ephemeralKeys();

beforeAll(async () => {
  database = await openTestDatabase();
  const config = loadConfig({ SATCHEL_DATA_DIR: '/nonexistent' });
  queue = new JobQueue(database, [retryRevocation], { work: false, log: silentLog, config, keyring });
  await queue.start();
});

afterAll(async () => {
  await queue.stop();
  await database.close();
});

/** A district holding a bit of everything: inventory, users, a token, an MDM connection with its secret, a job. */
async function populatedDistrict(name: string): Promise<TestDistrict> {
  const district = await createDistrict(database, name);
  await generateDemoData(database.db, district.id, { devices: 40, people: 30 });
  const user = await addUser(database, district, 'technician');
  await database.db
    .insertInto('api_tokens')
    .values({
      district_id: district.id,
      user_id: user.id,
      name: 'script',
      prefix: 'satchel_pat_abcdef',
      token_hash: randomUUID(),
      expires_at: new Date(Date.now() + 86_400_000),
    })
    .execute();
  const connection = await database.db
    .insertInto('mdm_connections')
    .values({
      district_id: district.id,
      provider: 'google',
      state: 'active',
      settings: '{}',
      secret: 'sealed',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('sync_runs')
    .values({
      district_id: district.id,
      connection_id: connection.id,
      provider: 'google',
      trigger: 'manual',
      state: 'succeeded',
      counters: '{}',
    })
    .execute();
  await queueRevocation(queue, keyring, {
    districtId: district.id,
    provider: 'google',
    secret: 'refresh-token',
  });
  return district;
}

describe('deleting a district', () => {
  it('removes every row, secret and job it has, says what remains (nothing), and touches no other district', async () => {
    const doomedName = `Doomed ${randomUUID().slice(0, 6)}`;
    const doomed = await populatedDistrict(doomedName);
    const kept = await populatedDistrict(`Kept ${randomUUID().slice(0, 6)}`);
    const keptBefore = await countDistrictRows(database.db, kept.id);
    const held = await countDistrictRows(database.db, doomed.id);
    expect(held).toMatchObject({
      districts: 1,
      users: 2,
      devices: 40,
      api_tokens: 1,
      mdm_connections: 1,
      jobs: 1,
    });

    await expect(
      runCliCommand(database, { command: 'district-delete', district: doomedName }, silentLog),
    ).rejects.toThrow(/Run again with --yes/);
    expect(await countDistrictRows(database.db, doomed.id)).toEqual(held);

    const output = await runCliCommand(
      database,
      { command: 'district-delete', district: doomedName, yes: true },
      silentLog,
    );
    expect(output).toContain(`Deleted district "${doomedName}"`);
    expect(output).toMatch(/Rows remaining for it: 0 \(/);
    const remaining = await countDistrictRows(database.db, doomed.id);
    expect(Object.keys(remaining).sort()).toEqual(Object.keys(held).sort());
    expect(Object.values(remaining).every((count) => count === 0)).toBe(true);
    expect(await countDistrictRows(database.db, kept.id)).toEqual(keptBefore);
  });
});

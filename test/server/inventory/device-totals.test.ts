import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DEVICE_STATUSES } from '../../../src/common/inventory.ts';
import { migrateToLatest, openPglite } from '../../../src/server/db/connect.ts';
import { migrations } from '../../../src/server/db/migrations/index.ts';
import { compactDeviceCounts, keptDeviceTotal } from '../../../src/server/inventory/device-queries.ts';
import { withTestApp } from '../../setup/app.ts';
import { testDatabaseKind } from '../../setup/database.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

async function newDistrict(): Promise<{ session: Session; districtId: string }> {
  const { app, database } = testApp();
  const district = await createDistrict(database);
  return { session: await signIn(app, district.admin), districtId: district.id };
}

async function post(session: Session, url: string, payload: object) {
  const response = await session.inject({ method: 'POST', url, payload });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.json();
}

function importCsv(session: Session, csv: string) {
  return session.inject({
    method: 'POST',
    url: '/api/v1/devices/import?dryRun=false',
    headers: { 'content-type': 'text/csv' },
    payload: csv,
  });
}

/** The device list's totals, unfiltered and for each status, against a count of the devices themselves. */
async function expectTotalsExact(session: Session, districtId: string) {
  const { rows } = await sql<{ status: string; n: number }>`
    select status, count(*)::int as n from devices where district_id = ${districtId} group by status`.execute(
    testApp().database.db,
  );
  const counted = new Map(rows.map((row) => [row.status, row.n]));
  const total = async (query: string) =>
    (await session.inject({ method: 'GET', url: `/api/v1/devices?pageSize=1${query}` })).json().total;
  expect(await total('')).toBe([...counted.values()].reduce((sum, n) => sum + n, 0));
  for (const status of DEVICE_STATUSES)
    expect(await total(`&status=${status}`)).toBe(counted.get(status) ?? 0);
  expect(await total('&status=in_service&status=spare')).toBe(
    (counted.get('in_service') ?? 0) + (counted.get('spare') ?? 0),
  );
}

describe('device totals', () => {
  it('stay exact through creation, edits, bulk changes, imports and a refused import', async () => {
    const { session, districtId } = await newDistrict();
    const other = await newDistrict();
    await post(other.session, '/api/v1/devices', { serialNumber: 'ELSEWHERE1' });
    const a = await post(session, '/api/v1/devices', { serialNumber: 'TOT1' });
    const b = await post(session, '/api/v1/devices', { serialNumber: 'TOT2', status: 'spare' });
    await expectTotalsExact(session, districtId);
    await session.inject({
      method: 'PATCH',
      url: `/api/v1/devices/${a.id}`,
      payload: { status: 'in_repair' },
    });
    await session.inject({
      method: 'PATCH',
      url: `/api/v1/devices/${b.id}`,
      payload: { notes: 'no status change' },
    });
    await expectTotalsExact(session, districtId);
    await post(session, '/api/v1/devices/bulk-update', {
      deviceIds: [a.id, b.id],
      changes: { status: 'retired' },
    });
    await expectTotalsExact(session, districtId);
    const header = 'serial_number,model,status\n';
    const rows = Array.from(
      { length: 40 },
      (_, i) => `IMP${i},Chromebook,${i % 3 === 0 ? 'spare' : 'in_service'}`,
    );
    expect((await importCsv(session, `${header}${rows.join('\n')}\nTOT1,Chromebook,lost\n`)).statusCode).toBe(
      200,
    );
    await expectTotalsExact(session, districtId);
    // A file with a bad row writes nothing, and the totals do not move either.
    const refused = await importCsv(session, `${header}NEW1,Chromebook,spare\nIMP1,Chromebook,vanished\n`);
    expect(refused.json()).toMatchObject({ committed: false, invalid: 1 });
    await expectTotalsExact(session, districtId);
    await expectTotalsExact(other.session, other.districtId);
  });

  it('are folded into one row per status without changing, and a deleted district takes its own along', async () => {
    const { session, districtId } = await newDistrict();
    const { db } = testApp().database;
    const rowsOf = async () =>
      Number(
        (
          await db
            .selectFrom('device_count_deltas')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('district_id', '=', districtId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const created = [];
    for (let i = 0; i < 12; i++)
      created.push(await post(session, '/api/v1/devices', { serialNumber: `FOLD${i}` }));
    for (const device of created.slice(0, 6))
      await session.inject({
        method: 'PATCH',
        url: `/api/v1/devices/${device.id}`,
        payload: { status: 'spare' },
      });
    expect(await rowsOf()).toBeGreaterThan(12);
    await compactDeviceCounts(db, 5);
    expect(await rowsOf()).toBe(2);
    await expectTotalsExact(session, districtId);

    await db.deleteFrom('districts').where('id', '=', districtId).execute();
    expect(await rowsOf()).toBe(0);
  });

  it('start, on a database upgraded to them, from the devices it already had', async () => {
    const database = await openPglite(undefined);
    try {
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo('0010_mdm_access_cache')).error).toBeUndefined();
      const a = await createDistrict(database);
      const b = await createDistrict(database);
      await sql`
        insert into devices (district_id, serial_number, serial_key, type, status)
        select case when i % 3 = 0 then ${b.id}::uuid else ${a.id}::uuid end, 'UP' || i, 'UP' || i, 'chromebook',
          case when i % 4 = 0 then 'spare' else 'in_service' end
        from generate_series(1, 30) i`.execute(database.db);
      await migrateToLatest(database.db);
      const totals = async (districtId: string, statuses?: string[]) =>
        keptDeviceTotal(database.db, districtId, statuses);
      expect([await totals(a.id), await totals(b.id)]).toEqual([20, 10]);
      expect([await totals(a.id, ['spare']), await totals(b.id, ['spare'])]).toEqual([5, 2]);
    } finally {
      await database.close();
    }
  });

  // Two connections at once: PostgreSQL only.
  it.runIf(testDatabaseKind() === 'postgres')(
    'never hold one writer up behind another, and a fold leaves uncommitted changes for later',
    async () => {
      const { session, districtId } = await newDistrict();
      await post(session, '/api/v1/devices', { serialNumber: 'OPEN0' });
      const url = testApp().database.url!;
      const importer = new pg.Client({ connectionString: url });
      const writer = new pg.Client({ connectionString: url });
      await importer.connect();
      await writer.connect();
      try {
        // A long import: its devices are written but not committed.
        await importer.query('begin');
        await importer.query(
          `insert into devices (district_id, serial_number, serial_key, type, status)
           select $1, 'LONG' || i, 'LONG' || i, 'chromebook', 'in_service' from generate_series(1, 50) i`,
          [districtId],
        );
        // Another writer of the same district and status goes straight through.
        await writer.query(`set statement_timeout = '3s'`);
        await writer.query(
          `insert into devices (district_id, serial_number, serial_key, type, status) values ($1, 'QUICK1', 'QUICK1', 'chromebook', 'in_service')`,
          [districtId],
        );
        await compactDeviceCounts(testApp().database.db, 0);
        await importer.query('commit');
        await expectTotalsExact(session, districtId);
        expect(
          (await session.inject({ method: 'GET', url: '/api/v1/devices?pageSize=1' })).json().total,
        ).toBe(52);
      } finally {
        await importer.end();
        await writer.end();
      }
    },
  );
});

import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { serialKey } from '../../../src/common/inventory.ts';
import { migrateToLatest, openPglite } from '../../../src/server/db/connect.ts';
import { migrations } from '../../../src/server/db/migrations/index.ts';
import { withTestApp } from '../../setup/app.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

async function newAdmin(): Promise<Session> {
  const { app, database } = testApp();
  return signIn(app, (await createDistrict(database)).admin);
}

describe('serial keys', () => {
  it('ignore zero-width and format characters and fold compatibility forms', () => {
    expect(serialKey('abc\u200b123')).toBe('ABC123');
    expect(serialKey('\ufeffABC\u2060 123\u200d')).toBe('ABC123');
    expect(serialKey('ＡＢＣ１２３')).toBe('ABC123');
    expect(serialKey(' 5cd 1111 aaa ')).toBe('5CD1111AAA');
  });

  it('make a serial with a zero-width space the same device as the plain one', async () => {
    const session = await newAdmin();
    const first = await session.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { serialNumber: 'ZW123' },
    });
    expect(first.statusCode).toBe(201);
    const second = await session.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { serialNumber: 'ZW\u200b123' },
    });
    expect(second.statusCode).toBe(409);
    const imported = await session.inject({
      method: 'POST',
      url: '/api/v1/devices/import?dryRun=true',
      headers: { 'content-type': 'text/csv' },
      payload: 'serial_number,model\nＺＷ\u200c123,Latitude\n',
    });
    expect(imported.json()).toMatchObject({ create: 0, update: 1, invalid: 0 });
  });

  it('refuse a serial made only of invisible characters', async () => {
    const session = await newAdmin();
    const response = await session.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { serialNumber: '\u200b\u200b' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0]).toMatchObject({ path: 'body.serialNumber' });
  });

  it('are re-keyed on upgrade; a collision keeps both devices and is recorded in the audit log', async () => {
    const database = await openPglite(undefined);
    try {
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo('0012_provider_request_scope')).error).toBeUndefined();
      const district = await createDistrict(database);
      const insert = (serialNumber: string, oldKey: string) =>
        sql<{ id: string }>`
          insert into devices (district_id, serial_number, serial_key, type, status)
          values (${district.id}, ${serialNumber}, ${oldKey}, 'chromebook', 'in_service')
          returning id`.execute(database.db);
      const plain = (await insert('DUP123', 'DUP123')).rows[0]!.id;
      const twin = (await insert('DUP\u200b123', 'DUP\u200b123')).rows[0]!.id;
      const wide = (await insert('ｗｉｄｅ９', 'ｗｉｄｅ９'.toUpperCase())).rows[0]!.id;
      await migrateToLatest(database.db);

      const keys = await sql<{ id: string; serial_key: string }>`
        select id, serial_key from devices where district_id = ${district.id}`.execute(database.db);
      const keyOf = new Map(keys.rows.map((row) => [row.id, row.serial_key]));
      expect(keyOf.get(plain)).toBe('DUP123');
      expect(keyOf.get(twin)).toBe('DUP\u200b123');
      expect(keyOf.get(wide)).toBe('WIDE9');
      const recorded = await sql<{ subject_id: string; details: Record<string, string> }>`
        select subject_id, details from audit_events
        where district_id = ${district.id} and action = 'device.serial_key_collision'`.execute(database.db);
      expect(recorded.rows).toEqual([
        {
          subject_id: twin,
          details: {
            serialNumber: 'DUP\u200b123',
            serialKey: 'DUP123',
            otherDeviceId: plain,
            otherSerialNumber: 'DUP123',
          },
        },
      ]);
    } finally {
      await database.close();
    }
  });
});

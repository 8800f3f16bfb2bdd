import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serialKey } from '../../../src/common/inventory.ts';
import { systemContext } from '../../../src/server/context.ts';
import { trackableDevices } from '../../../src/server/inventory/device-queries.ts';
import {
  countTrackableDevices,
  findTrackableDevices,
  listTrackableDevices,
} from '../../../src/server/inventory/index.ts';
import { silentLog, withTestApp } from '../../setup/app.ts';
import { createDistrict, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();
const SERVER = path.resolve(import.meta.dirname, '../../../src/server');
const INVENTORY = path.join(SERVER, 'inventory');
const INVENTORY_TABLES = ['devices', 'people', 'schools', 'assignments'];

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('inventory boundaries', () => {
  it('only the inventory module touches its tables, so only it can create a device', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(SERVER)) {
      if (
        file.startsWith(INVENTORY + path.sep) ||
        file.includes(`${path.sep}migrations${path.sep}`) ||
        file.endsWith(`${path.sep}schema.ts`)
      )
        continue;
      const text = await readFile(file, 'utf8');
      for (const table of INVENTORY_TABLES) {
        const patterns = [
          new RegExp(
            `(insertInto|updateTable|deleteFrom|selectFrom|innerJoin|leftJoin)\\(\\s*['"\`]${table}\\b`,
          ),
          new RegExp(`\\b(insert\\s+into|update|delete\\s+from|from|join)\\s+${table}\\b`, 'i'),
        ];
        if (patterns.some((pattern) => pattern.test(text)))
          offenders.push(`${path.relative(SERVER, file)} uses ${table}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('other modules import only the inventory’s public entry point', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(SERVER)) {
      if (
        file.startsWith(INVENTORY + path.sep) ||
        file.endsWith('app.ts') ||
        file.includes(`${path.sep}cli${path.sep}`)
      )
        continue;
      const text = await readFile(file, 'utf8');
      const imports = [...text.matchAll(/from '([^']*inventory\/[^']+)'/g)].map((match) => match[1]);
      offenders.push(
        ...imports
          .filter((specifier) => !specifier?.endsWith('inventory/index.ts'))
          .map((specifier) => `${path.relative(SERVER, file)} → ${specifier}`),
      );
    }
    expect(offenders).toEqual([]);
  });

  it('lists trackable devices by status and finds trackable devices by serial key, within one district', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const other = await createDistrict(database);
    const session = await signIn(app, district.admin);
    for (const [serial, status] of [
      ['TRK 1', 'in_service'],
      ['trk2', 'retired'],
      ['TRK3', 'spare'],
      // Added last, listed first.
      ['trk-0', 'spare'],
    ]) {
      await session.inject({
        method: 'POST',
        url: '/api/v1/devices',
        payload: { serialNumber: serial, status },
      });
    }
    const otherSession = await signIn(app, other.admin);
    await otherSession.inject({ method: 'POST', url: '/api/v1/devices', payload: { serialNumber: 'TRK1' } });
    const ctx = systemContext(district.id, silentLog);
    const tracked = await listTrackableDevices(ctx, database.db, ['in_service', 'spare']);
    expect(tracked.map((device) => device.serialKey)).toEqual(['TRK-0', 'TRK1', 'TRK3']);
    // Each id is the one of the device with that serial.
    const stored = new Map(
      (
        await database.db
          .selectFrom('devices')
          .select(['id', 'serial_key'])
          .where('district_id', '=', district.id)
          .execute()
      ).map((row) => [row.id, row.serial_key]),
    );
    expect(tracked.map((device) => stored.get(device.id))).toEqual(['TRK-0', 'TRK1', 'TRK3']);
    // Read a few at a time, the lists come out the same (an exact multiple of the chunk, and not).
    for (const chunk of [1, 2, 3, 4]) {
      expect(await trackableDevices(database.db, district.id, ['in_service', 'spare'], chunk)).toEqual({
        ids: tracked.map((device) => device.id),
        serialKeys: ['TRK-0', 'TRK1', 'TRK3'],
      });
    }
    expect(await listTrackableDevices(ctx, database.db, [])).toEqual([]);
    expect(await listTrackableDevices(ctx, database.db, ['lost'])).toEqual([]);
    expect(await countTrackableDevices(ctx, database.db, ['in_service', 'spare'])).toBe(3);
    expect(await countTrackableDevices(ctx, database.db, ['in_service', 'spare', 'retired'])).toBe(4);
    const keys = [serialKey(' trk 1'), 'TRK2', 'TRK3', 'NOPE'];
    const found = await findTrackableDevices(ctx, database.db, ['in_service', 'retired'], keys);
    expect(found.map((device) => device.serialKey).sort()).toEqual(['TRK1', 'TRK2']);
    expect(found.find((device) => device.serialKey === 'TRK1')?.id).toBe(tracked[1]?.id);
    expect(await findTrackableDevices(ctx, database.db, [], keys)).toEqual([]);
  });
});

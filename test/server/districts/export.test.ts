import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateDemoData } from '../../../src/server/inventory/demo-data.ts';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createApiToken, createDistrict, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

/** Reads a zip through its central directory, as unzip tools do. */
function unzip(archive: Buffer): Map<string, string> {
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end)).toBe(0x06054b50);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files = new Map<string, string>();
  for (let index = 0; index < count; index++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const compressed = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    files.set(name, inflateRawSync(archive.subarray(dataStart, dataStart + compressed)).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

describe('district export', () => {
  it('gives a district administrator everything held about the district as a zip, without secrets, audited', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    await generateDemoData(database.db, district.id, { devices: 1500, people: 40 });
    const technician = await addUser(database, district, 'technician');
    const technicianSession = await signIn(app, technician);
    const tokenSecret = await createApiToken(technicianSession);
    const other = await createDistrict(database);
    await generateDemoData(database.db, other.id, { devices: 10, people: 5, seed: 9 });

    expect(
      (await technicianSession.inject({ method: 'GET', url: '/api/v1/district/export.zip' })).statusCode,
    ).toBe(403);
    const admin = await signIn(app, district.admin);
    const response = await admin.inject({ method: 'GET', url: '/api/v1/district/export.zip' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    const files = unzip(response.rawPayload);

    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'districts.csv',
        'users.csv',
        'devices.csv',
        'people.csv',
        'audit_events.csv',
      ]),
    );
    // Larger than one page of rows: every device comes out.
    const deviceLines = files.get('devices.csv')!.trim().split(/\r?\n/);
    expect(deviceLines).toHaveLength(1 + 1500);
    expect(files.get('users.csv')).toContain(technician.email);
    expect(files.get('users.csv')!.split(/\r?\n/)[0]).not.toContain('password_hash');

    const everything = [...files.values()].join('\n');
    const hashes = await database.db
      .selectFrom('users')
      .select('password_hash')
      .where('district_id', '=', district.id)
      .execute();
    for (const { password_hash } of hashes) expect(everything).not.toContain(password_hash);
    expect(everything).not.toContain(tokenSecret.slice(12));
    expect(everything).not.toContain(other.id);
    expect(everything).not.toContain(other.admin.email);

    const audited = await database.db
      .selectFrom('audit_events')
      .select(['actor_user_id'])
      .where('district_id', '=', district.id)
      .where('action', '=', 'district.exported')
      .execute();
    expect(audited).toEqual([{ actor_user_id: district.admin.id }]);
  });
});

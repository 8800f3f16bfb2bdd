import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DEMO_DOMAIN, generateDemoData, gradesOf } from '../../../src/server/inventory/demo-data.ts';
import { withTestApp } from '../../setup/app.ts';
import { createDistrict } from '../../setup/factories.ts';

const testApp = withTestApp();

describe('demo data', () => {
  it('fills a district with consistent schools, people, devices and open assignments', async () => {
    const { database } = testApp();
    const district = await createDistrict(database);
    const summary = await generateDemoData(database.db, district.id, { devices: 1200, people: 900, seed: 7 });
    expect(summary.devices).toBeGreaterThan(1190);
    const statuses = await database.db
      .selectFrom('devices')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .where('district_id', '=', district.id)
      .groupBy('status')
      .execute();
    expect(statuses.map((row) => row.status)).toEqual(
      expect.arrayContaining(['in_service', 'spare', 'retired', 'lost']),
    );
    const mismatched = await sql<{ count: number }>`
      select count(*)::int as count from devices d
      left join assignments a on a.device_id = d.id and a.checked_in_at is null
      where d.district_id = ${district.id} and (d.assigned_person_id is distinct from a.person_id)`.execute(
      database.db,
    );
    expect(mismatched.rows[0]?.count).toBe(0);
    const assignedOutOfUse = await database.db
      .selectFrom('devices')
      .select('id')
      .where('district_id', '=', district.id)
      .where('assigned_person_id', 'is not', null)
      .where('status', '!=', 'in_service')
      .execute();
    expect(assignedOutOfUse).toEqual([]);
    const serials = await database.db
      .selectFrom('devices')
      .select(['serial_number', 'manufacturer'])
      .where('district_id', '=', district.id)
      .execute();
    const hp = serials.find((device) => device.manufacturer === 'HP');
    expect(hp?.serial_number).toMatch(/^5CD\d{3}[A-Z]{4}$/);
  });

  it('gives people the fake Google’s domain, students grades their school teaches, devices their holder’s school', async () => {
    const { database } = testApp();
    const district = await createDistrict(database);
    await generateDemoData(database.db, district.id, { devices: 300, people: 900, seed: 3 });
    const people = await database.db
      .selectFrom('people')
      .leftJoin('schools', 'schools.id', 'people.school_id')
      .select(['people.email', 'people.kind', 'people.grade', 'schools.name as school'])
      .where('people.district_id', '=', district.id)
      .execute();
    expect(people.every((person) => person.email?.endsWith(`@${DEMO_DOMAIN}`))).toBe(true);
    const misplaced = people.filter((person) => {
      if (person.kind !== 'student') return false;
      const grade = person.grade === 'K' ? 0 : Number(person.grade);
      return !gradesOf(person.school ?? '').includes(grade);
    });
    expect(misplaced).toEqual([]);
    expect(new Set(people.map((person) => person.grade))).toEqual(
      new Set([null, 'K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']),
    );
    const elsewhere = await sql<{ count: number }>`
      select count(*)::int as count from devices d join people p on p.id = d.assigned_person_id
      where d.district_id = ${district.id} and d.school_id is distinct from p.school_id`.execute(database.db);
    expect(elsewhere.rows[0]?.count).toBe(0);
    // A second run adds to the district without colliding with the first.
    await generateDemoData(database.db, district.id, { devices: 10, people: 10, seed: 4 });
  });
});

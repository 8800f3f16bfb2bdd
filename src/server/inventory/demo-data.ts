import type { Kysely } from 'kysely';
import { type DeviceStatus, type DeviceType, serialKey } from '../../common/inventory.ts';
import type { DB } from '../db/schema.ts';
import * as queries from './import-queries.ts';

/** Small seeded generator (mulberry32): the same seed gives the same district every time. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ava',
  'Liam',
  'Maya',
  'Noah',
  'Sofia',
  'Ethan',
  'Zoe',
  'Lucas',
  'Aaliyah',
  'Mateo',
  'Chloe',
  'Jayden',
  'Priya',
  'Diego',
  'Hana',
  'Omar',
  'Grace',
  'Elijah',
  'Mia',
  'Caleb',
  'Nora',
  'Isaac',
  'Leah',
  'Kai',
];
const LAST = [
  'Garcia',
  'Nguyen',
  'Smith',
  'Johnson',
  'Patel',
  'Kim',
  'Brown',
  'Lopez',
  'Chen',
  'Williams',
  'Rivera',
  'Davis',
  'Martinez',
  'Okafor',
  'Singh',
  'Cohen',
  'Tanaka',
  'Murphy',
  'Ali',
  'Walker',
];
const SCHOOL_NAMES = [
  'Lincoln High',
  'Washington Middle',
  'Roosevelt Elementary',
  'Jefferson Elementary',
  'Maple Grove Middle',
  'Cedar Ridge High',
  'Oak Hill Elementary',
  'Riverside Academy',
  'Pine Valley Elementary',
  'Summit High',
];
const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

/** The email domain of the demo's fake Google, so Satchel's people are the users Google reports. */
export const DEMO_DOMAIN = 'district.example.org';

/** Grades a school teaches, by the kind of school its name says (0 is kindergarten). */
export function gradesOf(schoolName: string): readonly number[] {
  const range = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, index) => from + index);
  if (/Elementary/.test(schoolName)) return range(0, 5);
  if (/Middle/.test(schoolName)) return range(6, 8);
  if (/High/.test(schoolName)) return range(9, 12);
  return range(6, 12);
}

/** Serial numbers in the shapes the vendors actually use. */
const CATALOG: {
  manufacturer: string;
  model: string;
  type: DeviceType;
  serial: (pick: () => number) => string;
}[] = [
  {
    manufacturer: 'HP',
    model: 'HP Chromebook 11 G9 EE',
    type: 'chromebook',
    serial: (pick) => `5CD${digits(pick, 3)}${letters(pick, 4)}`,
  },
  {
    manufacturer: 'Lenovo',
    model: 'Lenovo 300e Chromebook Gen 3',
    type: 'chromebook',
    serial: (pick) => `PF${alnum(pick, 6)}`,
  },
  {
    manufacturer: 'Dell',
    model: 'Dell Chromebook 3110',
    type: 'chromebook',
    serial: (pick) => alnum(pick, 7),
  },
  {
    manufacturer: 'Acer',
    model: 'Acer Chromebook Spin 511',
    type: 'chromebook',
    serial: (pick) => `NXH${alnum(pick, 5)}${digits(pick, 10)}`,
  },
  {
    manufacturer: 'Lenovo',
    model: 'ThinkPad 11e Yoga Gen 6',
    type: 'laptop',
    serial: (pick) => `R9${alnum(pick, 6)}`,
  },
  {
    manufacturer: 'Dell',
    model: 'Latitude 3140',
    type: 'laptop',
    serial: (pick) => `${alnum(pick, 7)}`,
  },
  {
    manufacturer: 'Apple',
    model: 'MacBook Air (M2)',
    type: 'laptop',
    serial: (pick) => `C02${alnum(pick, 9)}`,
  },
  {
    manufacturer: 'Apple',
    model: 'iPad (10th generation)',
    type: 'tablet',
    serial: (pick) => `DMP${alnum(pick, 9)}`,
  },
  {
    manufacturer: 'Kajeet',
    model: 'Kajeet SmartSpot 400',
    type: 'hotspot',
    serial: (pick) => `KJ${digits(pick, 10)}`,
  },
];
const CATALOG_WEIGHTS = [26, 22, 17, 10, 6, 5, 5, 7, 2];

const STATUS_WEIGHTS: [DeviceStatus, number][] = [
  ['in_service', 80],
  ['spare', 8],
  ['in_repair', 4],
  ['lost', 2],
  ['stolen', 1],
  ['retired', 4],
  ['disposed', 1],
];

function digits(pick: () => number, count: number): string {
  return Array.from({ length: count }, () => Math.floor(pick() * 10)).join('');
}
function letters(pick: () => number, count: number): string {
  return Array.from({ length: count }, () => ALNUM[Math.floor(pick() * 24)]).join('');
}
function alnum(pick: () => number, count: number): string {
  return Array.from({ length: count }, () => ALNUM[Math.floor(pick() * ALNUM.length)]).join('');
}
function weighted<T>(pick: () => number, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let roll = pick() * total;
  for (const [index, item] of items.entries()) {
    roll -= weights[index]!;
    if (roll < 0) return item;
  }
  return items.at(-1)!;
}

export interface DemoDataSummary {
  schools: number;
  people: number;
  devices: number;
  assigned: number;
}

const BATCH = 1000;

/**
 * Fills a district with schools, students and staff, and devices with realistic serials, statuses and
 * check-outs. Adds to what is there; serials that already exist are skipped.
 */
export async function generateDemoData(
  db: Kysely<DB>,
  districtId: string,
  counts: { devices: number; people: number; seed?: number; domain?: string },
): Promise<DemoDataSummary> {
  const domain = counts.domain ?? DEMO_DOMAIN;
  const pick = random(counts.seed ?? 20261127);
  const schoolCount = Math.max(1, Math.min(SCHOOL_NAMES.length, Math.ceil(counts.people / 400)));
  const existingSchools = await queries.schoolsOf(db, districtId);
  const schoolIds = existingSchools.map((school) => school.id);
  const schoolNames = new Map(existingSchools.map((school) => [school.id, school.name]));
  for (const name of SCHOOL_NAMES.slice(0, schoolCount)) {
    if (existingSchools.some((school) => school.name === name)) continue;
    const created = await db
      .insertInto('schools')
      .values({
        district_id: districtId,
        name,
        code:
          name
            .split(' ')
            .map((word) => word[0])
            .join('') + String(schoolIds.length + 1),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    schoolIds.push(created.id);
    schoolNames.set(created.id, name);
  }

  const students: { id: string; schoolId: string | null }[] = [];
  // Student numbers as districts issue them; a second run starts elsewhere, so emails stay unique.
  const firstNumber = 100_000 + Math.floor(pick() * 800) * 1000;
  for (let start = 0; start < counts.people; start += BATCH) {
    const records: queries.PersonRecord[] = [];
    for (let index = start; index < Math.min(counts.people, start + BATCH); index++) {
      const staff = pick() < 0.1;
      const first = FIRST[Math.floor(pick() * FIRST.length)]!;
      const last = LAST[Math.floor(pick() * LAST.length)]!;
      const number = firstNumber + index;
      const schoolId = schoolIds[Math.floor(pick() * schoolIds.length)] ?? null;
      const grades = gradesOf(schoolNames.get(schoolId ?? '') ?? '');
      const grade = grades[Math.floor(pick() * grades.length)] ?? 0;
      records.push({
        kind: staff ? 'staff' : 'student',
        external_id: `${staff ? 'T' : 'S'}${number}`,
        email: `${first}.${last}${number}@${domain}`.toLowerCase(),
        name: `${first} ${last}`,
        grade: staff ? null : grade === 0 ? 'K' : String(grade),
        school_id: schoolId,
        active: pick() > 0.03,
      });
    }
    const inserted = await queries.insertPeople(db, districtId, records);
    inserted.forEach((person, index) => {
      const record = records[index];
      if (record?.kind === 'student' && record.active)
        students.push({ id: person.id, schoolId: record.school_id });
    });
  }

  let devices = 0;
  let assigned = 0;
  let nextStudent = 0;
  for (let start = 0; start < counts.devices; start += BATCH) {
    const records: queries.DeviceRecord[] = [];
    const seen = new Set<string>();
    for (let index = start; index < Math.min(counts.devices, start + BATCH); index++) {
      const product = weighted(pick, CATALOG, CATALOG_WEIGHTS);
      const serial = product.serial(pick);
      if (seen.has(serialKey(serial))) continue;
      seen.add(serialKey(serial));
      const status = weighted(
        pick,
        STATUS_WEIGHTS.map(([value]) => value),
        STATUS_WEIGHTS.map(([, weight]) => weight),
      );
      const holder =
        status === 'in_service' && pick() < 0.75 && students.length > 0
          ? students[nextStudent++ % students.length]
          : undefined;
      const purchased = 2019 + Math.floor(pick() * 7);
      records.push({
        serial_number: serial,
        serial_key: serialKey(serial),
        asset_tag: `A-${firstNumber + index}`,
        model: product.model,
        manufacturer: product.manufacturer,
        type: product.type,
        status,
        // A checked-out device is at its student's school.
        school_id: holder ? holder.schoolId : (schoolIds[Math.floor(pick() * schoolIds.length)] ?? null),
        assigned_person_id: holder?.id ?? null,
        purchase_date: `${purchased}-0${1 + Math.floor(pick() * 9)}-15`,
        warranty_end: `${purchased + 3}-06-30`,
        notes: null,
      });
    }
    const existing = new Set(
      (
        await queries.devicesBySerialKeys(
          db,
          districtId,
          records.map((record) => record.serial_key),
        )
      ).map((device) => device.serial_key),
    );
    const fresh = records.filter((record) => !existing.has(record.serial_key));
    const inserted = await queries.insertDevices(db, districtId, fresh);
    const holders = new Map(fresh.map((record) => [record.serial_key, record.assigned_person_id]));
    const assignments = inserted.flatMap((device) => {
      const personId = holders.get(device.serial_key);
      return personId ? [{ deviceId: device.id, personId }] : [];
    });
    await queries.insertAssignments(db, districtId, assignments, 'demo-data');
    devices += inserted.length;
    assigned += assignments.length;
  }
  return { schools: schoolIds.length, people: counts.people, devices, assigned };
}

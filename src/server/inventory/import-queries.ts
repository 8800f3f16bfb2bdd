import { sql } from 'kysely';
import type { DeviceStatus, DeviceType } from '../../common/inventory.ts';
import type { Executor } from './csv/import-runner.ts';

export function devicesBySerialKeys(db: Executor, districtId: string, keys: readonly string[]) {
  return db
    .selectFrom('devices')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('serial_key', 'in', keys)
    .execute();
}

export function devicesByAssetTags(db: Executor, districtId: string, tags: readonly string[]) {
  return db
    .selectFrom('devices')
    .select(['id', 'serial_key', 'serial_number', 'asset_tag'])
    .where('district_id', '=', districtId)
    .where(
      sql<string>`lower(asset_tag)`,
      'in',
      tags.map((tag) => tag.toLowerCase()),
    )
    .execute();
}

export function peopleByReferences(db: Executor, districtId: string, references: readonly string[]) {
  return db
    .selectFrom('people')
    .select(['id', 'name', 'email', 'external_id', 'active'])
    .where('district_id', '=', districtId)
    .where((eb) =>
      eb.or([
        eb(
          sql<string>`lower(email)`,
          'in',
          references.map((reference) => reference.toLowerCase()),
        ),
        eb('external_id', 'in', references),
      ]),
    )
    .execute();
}

export function schoolsOf(db: Executor, districtId: string) {
  return db
    .selectFrom('schools')
    .select(['id', 'name', 'code'])
    .where('district_id', '=', districtId)
    .execute();
}

export interface DeviceRecord {
  id?: string;
  serial_number: string;
  serial_key: string;
  asset_tag: string | null;
  model: string | null;
  manufacturer: string | null;
  type: DeviceType;
  status: DeviceStatus;
  school_id: string | null;
  assigned_person_id: string | null;
  purchase_date: string | null;
  warranty_end: string | null;
  notes: string | null;
}

const RECORD_COLUMNS = sql`v(id uuid, serial_number text, serial_key text, asset_tag text, model text, manufacturer text,
  type text, status text, school_id uuid, assigned_person_id uuid, purchase_date date, warranty_end date, notes text)`;

/** One statement per batch: rows travel as a single JSON parameter. */
export async function insertDevices(db: Executor, districtId: string, records: DeviceRecord[]) {
  if (records.length === 0) return [];
  const result = await sql<{ id: string; serial_key: string }>`
    insert into devices (district_id, serial_number, serial_key, asset_tag, model, manufacturer, type, status,
      school_id, assigned_person_id, purchase_date, warranty_end, notes)
    select ${districtId}::uuid, v.serial_number, v.serial_key, v.asset_tag, v.model, v.manufacturer, v.type, v.status,
      v.school_id, v.assigned_person_id, v.purchase_date, v.warranty_end, v.notes
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as ${RECORD_COLUMNS}
    returning id, serial_key`.execute(db);
  return result.rows;
}

export async function updateDevices(
  db: Executor,
  districtId: string,
  records: DeviceRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await sql`
    update devices d set serial_number = v.serial_number, asset_tag = v.asset_tag, model = v.model,
      manufacturer = v.manufacturer, type = v.type, status = v.status, school_id = v.school_id,
      assigned_person_id = v.assigned_person_id, purchase_date = v.purchase_date, warranty_end = v.warranty_end,
      notes = v.notes, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as ${RECORD_COLUMNS}
    where d.id = v.id and d.district_id = ${districtId}::uuid`.execute(db);
}

export async function closeOpenAssignments(
  db: Executor,
  districtId: string,
  deviceIds: readonly string[],
  by: string,
  note: string,
): Promise<void> {
  if (deviceIds.length === 0) return;
  await db
    .updateTable('assignments')
    .set({ checked_in_at: new Date(), checked_in_by: by, check_in_note: note })
    .where('district_id', '=', districtId)
    .where('device_id', 'in', deviceIds)
    .where('checked_in_at', 'is', null)
    .execute();
}

export async function insertAssignments(
  db: Executor,
  districtId: string,
  assignments: { deviceId: string; personId: string }[],
  by: string,
): Promise<void> {
  if (assignments.length === 0) return;
  await db
    .insertInto('assignments')
    .values(
      assignments.map((a) => ({
        district_id: districtId,
        device_id: a.deviceId,
        person_id: a.personId,
        checked_out_by: by,
      })),
    )
    .execute();
}

export function peopleByIdentity(
  db: Executor,
  districtId: string,
  externalIds: readonly string[],
  emails: readonly string[],
) {
  return db
    .selectFrom('people')
    .selectAll()
    .where('district_id', '=', districtId)
    .where((eb) =>
      eb.or([
        ...(externalIds.length ? [eb('external_id', 'in', externalIds)] : []),
        ...(emails.length
          ? [
              eb(
                sql<string>`lower(email)`,
                'in',
                emails.map((email) => email.toLowerCase()),
              ),
            ]
          : []),
      ]),
    )
    .execute();
}

export interface PersonRecord {
  id?: string;
  kind: 'student' | 'staff';
  external_id: string | null;
  email: string | null;
  name: string;
  grade: string | null;
  school_id: string | null;
  active: boolean;
}

const PERSON_COLUMNS = sql`v(id uuid, kind text, external_id text, email text, name text, grade text, school_id uuid, active boolean)`;

export async function insertPeople(db: Executor, districtId: string, records: PersonRecord[]) {
  if (records.length === 0) return [];
  const result = await sql<{ id: string; external_id: string | null; email: string | null }>`
    insert into people (district_id, kind, external_id, email, name, grade, school_id, active)
    select ${districtId}::uuid, v.kind, v.external_id, v.email, v.name, v.grade, v.school_id, v.active
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as ${PERSON_COLUMNS}
    returning id, external_id, email`.execute(db);
  return result.rows;
}

export async function updatePeople(db: Executor, districtId: string, records: PersonRecord[]): Promise<void> {
  if (records.length === 0) return;
  await sql`
    update people p set kind = v.kind, external_id = v.external_id, email = v.email, name = v.name, grade = v.grade,
      school_id = v.school_id, active = v.active, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as ${PERSON_COLUMNS}
    where p.id = v.id and p.district_id = ${districtId}::uuid`.execute(db);
}

/** A CSV `school` cell names a school by name or code, case-insensitively: both map to its id. */
export async function schoolLookup(db: Executor, districtId: string): Promise<Map<string, string>> {
  return new Map(
    (await schoolsOf(db, districtId)).flatMap((school) => [
      [school.name.toLowerCase(), school.id] as const,
      ...(school.code ? [[school.code.toLowerCase(), school.id] as const] : []),
    ]),
  );
}

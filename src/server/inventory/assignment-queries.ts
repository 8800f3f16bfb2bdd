import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function assignmentsWithPeople(db: Executor, districtId: string) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .selectAll('a')
    .select([
      'p.name as person_name',
      'p.email as person_email',
      'p.external_id as person_external_id',
      'p.kind as person_kind',
    ])
    .where('a.district_id', '=', districtId);
}

export type AssignmentWithPerson = Awaited<ReturnType<typeof openAssignment>> & object;

export function openAssignment(db: Executor, districtId: string, deviceId: string) {
  return assignmentsWithPeople(db, districtId)
    .where('a.device_id', '=', deviceId)
    .where('a.checked_in_at', 'is', null)
    .executeTakeFirst();
}

export function deviceAssignments(db: Executor, districtId: string, deviceId: string) {
  return assignmentsWithPeople(db, districtId)
    .where('a.device_id', '=', deviceId)
    .orderBy('a.checked_out_at', 'desc')
    .execute();
}

export function personAssignments(db: Executor, districtId: string, personId: string) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('devices as d', 'd.id', 'a.device_id')
    .selectAll('a')
    .select(['d.serial_number', 'd.asset_tag', 'd.model', 'd.status'])
    .where('a.district_id', '=', districtId)
    .where('a.person_id', '=', personId)
    .orderBy('a.checked_out_at', 'desc')
    .execute();
}

export async function insertAssignment(
  db: Executor,
  assignment: { districtId: string; deviceId: string; personId: string; by: string },
): Promise<string> {
  const row = await db
    .insertInto('assignments')
    .values({
      district_id: assignment.districtId,
      device_id: assignment.deviceId,
      person_id: assignment.personId,
      checked_out_by: assignment.by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function closeAssignment(
  db: Executor,
  districtId: string,
  deviceId: string,
  checkIn: { by: string; note: string | null },
) {
  return db
    .updateTable('assignments')
    .set({ checked_in_at: new Date(), checked_in_by: checkIn.by, check_in_note: checkIn.note })
    .where('district_id', '=', districtId)
    .where('device_id', '=', deviceId)
    .where('checked_in_at', 'is', null)
    .returning(['id', 'person_id'])
    .executeTakeFirst();
}

import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export function listSchools(db: Executor, districtId: string) {
  return db
    .selectFrom('schools as s')
    .selectAll('s')
    .select((eb) =>
      eb
        .selectFrom('devices as d')
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('d.school_id', '=', 's.id')
        .as('device_count'),
    )
    .where('s.district_id', '=', districtId)
    .orderBy('s.name')
    .execute();
}

export function findSchool(db: Executor, districtId: string, schoolId: string) {
  return db
    .selectFrom('schools')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('id', '=', schoolId)
    .executeTakeFirst();
}

/** A CSV `school` cell names a school by its name or its code, case-insensitively. */
export function findSchoolByNameOrCode(db: Executor, districtId: string, reference: string) {
  return db
    .selectFrom('schools')
    .select(['id', 'name'])
    .where('district_id', '=', districtId)
    .where(sql<SqlBool>`lower(name) = lower(${reference}) or lower(code) = lower(${reference})`)
    .executeTakeFirst();
}

export function findConflictingSchool(
  db: Executor,
  districtId: string,
  name: string,
  code: string | null,
  exceptId?: string,
) {
  let query = db
    .selectFrom('schools')
    .select(['id', 'name', 'code'])
    .where('district_id', '=', districtId)
    .where((eb) =>
      eb.or([
        sql<SqlBool>`lower(name) = lower(${name})`,
        ...(code ? [sql<SqlBool>`lower(code) = lower(${code})`] : []),
      ]),
    );
  if (exceptId) query = query.where('id', '!=', exceptId);
  return query.executeTakeFirst();
}

export function insertSchool(
  db: Executor,
  school: { districtId: string; name: string; code: string | null },
) {
  return db
    .insertInto('schools')
    .values({ district_id: school.districtId, name: school.name, code: school.code })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateSchool(
  db: Executor,
  districtId: string,
  schoolId: string,
  changes: { name?: string; code?: string | null },
) {
  await db
    .updateTable('schools')
    .set({ ...changes, updated_at: new Date() })
    .where('district_id', '=', districtId)
    .where('id', '=', schoolId)
    .execute();
}

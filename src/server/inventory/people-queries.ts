import { type Insertable, type Kysely, type SqlBool, sql, type Transaction, type Updateable } from 'kysely';
import type { DB, PeopleTable } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface PeopleFilter {
  q?: string | undefined;
  kind?: 'student' | 'staff' | undefined;
  school?: string | undefined;
  active?: 'true' | 'false' | undefined;
}

function filteredPeople(db: Executor, districtId: string, filter: PeopleFilter) {
  let query = db.selectFrom('people as p').where('p.district_id', '=', districtId);
  if (filter.kind) query = query.where('p.kind', '=', filter.kind);
  if (filter.school) query = query.where('p.school_id', '=', filter.school);
  if (filter.active) query = query.where('p.active', '=', filter.active === 'true');
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    query = query.where(
      sql<SqlBool>`(p.name || ' ' || coalesce(p.email, '') || ' ' || coalesce(p.external_id, '')) ilike ${pattern}`,
    );
  }
  return query;
}

function withPersonColumns<T extends ReturnType<typeof filteredPeople>>(query: T) {
  return query
    .leftJoin('schools as s', 's.id', 'p.school_id')
    .selectAll('p')
    .select((eb) => [
      's.name as school_name',
      eb
        .selectFrom('devices as d')
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('d.assigned_person_id', '=', 'p.id')
        .as('device_count'),
    ]);
}

export type PersonWithNames = Awaited<ReturnType<typeof findPerson>> & object;

export function listPeople(
  db: Executor,
  districtId: string,
  filter: PeopleFilter,
  limit: number,
  offset: number,
) {
  return withPersonColumns(filteredPeople(db, districtId, filter))
    .orderBy('p.name')
    .orderBy('p.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countPeople(db: Executor, districtId: string, filter: PeopleFilter): Promise<number> {
  const row = await filteredPeople(db, districtId, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function findPerson(db: Executor, districtId: string, personId: string) {
  return withPersonColumns(filteredPeople(db, districtId, {}))
    .where('p.id', '=', personId)
    .executeTakeFirst();
}

/** Resolves a CSV `assigned_to` cell: an email (case-insensitive) or an SIS external id. */
export function findPersonByReference(db: Executor, districtId: string, reference: string) {
  return db
    .selectFrom('people')
    .select(['id', 'name', 'active'])
    .where('district_id', '=', districtId)
    .where((eb) =>
      eb.or([eb(sql`lower(email)`, '=', reference.toLowerCase()), eb('external_id', '=', reference)]),
    )
    .executeTakeFirst();
}

export function findPersonByExternalId(db: Executor, districtId: string, externalId: string) {
  return db
    .selectFrom('people')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export function findPersonByEmail(db: Executor, districtId: string, email: string) {
  return db
    .selectFrom('people')
    .selectAll()
    .where('district_id', '=', districtId)
    .where(sql<SqlBool>`lower(email) = ${email.toLowerCase()}`)
    .executeTakeFirst();
}

export function lockPerson(db: Transaction<DB>, districtId: string, personId: string) {
  return db
    .selectFrom('people')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('id', '=', personId)
    .forUpdate()
    .executeTakeFirst();
}

export function insertPerson(db: Executor, person: Insertable<PeopleTable>) {
  return db.insertInto('people').values(person).returning('id').executeTakeFirstOrThrow();
}

export async function updatePerson(
  db: Executor,
  districtId: string,
  personId: string,
  changes: Updateable<PeopleTable>,
) {
  await db
    .updateTable('people')
    .set({ ...changes, updated_at: new Date() })
    .where('district_id', '=', districtId)
    .where('id', '=', personId)
    .execute();
}

export async function personName(db: Executor, districtId: string, personId: string): Promise<string | null> {
  const row = await db
    .selectFrom('people')
    .select('name')
    .where('district_id', '=', districtId)
    .where('id', '=', personId)
    .executeTakeFirst();
  return row?.name ?? null;
}

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export function insertDistrict(db: Executor, name: string, timeZone: string | null = null) {
  return (
    db
      .insertInto('districts')
      // The zone is written only when known, so a district can be created on a database from before the column.
      .values(timeZone === null ? { name } : { name, time_zone: timeZone })
      .returningAll()
      .executeTakeFirstOrThrow()
  );
}

export function findDistrict(db: Executor, districtId: string) {
  return db
    .selectFrom('districts')
    .select(['name', 'time_zone'])
    .where('id', '=', districtId)
    .executeTakeFirstOrThrow();
}

export function setTimeZone(db: Executor, districtId: string, timeZone: string) {
  return db
    .updateTable('districts')
    .set({ time_zone: timeZone })
    .where('id', '=', districtId)
    .returning(['name', 'time_zone'])
    .executeTakeFirstOrThrow();
}

export async function countDistricts(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('districts')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function listDistrictIds(db: Executor) {
  return db.selectFrom('districts').select('id').orderBy('created_at').execute();
}

export function findDistrictByName(db: Executor, name: string) {
  return db
    .selectFrom('districts')
    .select(['id', 'name'])
    .where('name', '=', name)
    .orderBy('created_at')
    .executeTakeFirst();
}

export function findDistrictSettings(db: Executor, districtId: string) {
  return db
    .selectFrom('districts')
    .select(['token_max_lifetime_days', 'mdm_history_retention_days'])
    .where('id', '=', districtId)
    .executeTakeFirst();
}

export function updateDistrictSettings(
  db: Executor,
  districtId: string,
  changes: { token_max_lifetime_days?: number; mdm_history_retention_days?: number },
) {
  return db
    .updateTable('districts')
    .set(changes)
    .where('id', '=', districtId)
    .returning(['token_max_lifetime_days', 'mdm_history_retention_days'])
    .executeTakeFirstOrThrow();
}

export function findDistrictName(db: Executor, districtId: string) {
  return db.selectFrom('districts').select('name').where('id', '=', districtId).executeTakeFirst();
}

import { type Kysely, sql, type Transaction } from 'kysely';
import type { Role } from '../../common/permissions.ts';
import type { DB, NewUser, UserRow } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export function findUser(db: Executor, districtId: string, userId: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** Locks the row so concurrent role changes cannot both remove the last administrator. */
export function findUserForUpdate(db: Transaction<DB>, districtId: string, userId: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

export function listUsers(db: Executor, districtId: string): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().where('district_id', '=', districtId).orderBy('name').execute();
}

export async function insertUser(db: Executor, user: NewUser): Promise<UserRow> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export interface UserChanges {
  name?: string;
  role?: Role;
  disabled_at?: Date | null;
  password_hash?: string;
}

export function updateUser(db: Executor, districtId: string, userId: string, changes: UserChanges) {
  return db
    .updateTable('users')
    .set({ ...changes, updated_at: new Date() })
    .where('district_id', '=', districtId)
    .where('id', '=', userId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Active administrators, locked, so the last-administrator check holds under concurrency. */
export async function countActiveAdmins(db: Transaction<DB>, districtId: string): Promise<number> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('district_id', '=', districtId)
    .where('role', '=', 'district_admin')
    .where('disabled_at', 'is', null)
    .forUpdate()
    .execute();
  return rows.length;
}

export async function recordFailedSignIn(db: Executor, userId: string, lockAfter: number, lockForMs: number) {
  return db
    .updateTable('users')
    .set((eb) => ({
      failed_sign_ins: eb('failed_sign_ins', '+', 1),
      locked_until: sql<Date | null>`case when failed_sign_ins + 1 >= ${lockAfter}
        then now() + make_interval(secs => ${lockForMs / 1000}) else locked_until end`,
    }))
    .where('id', '=', userId)
    .returning(['failed_sign_ins', 'locked_until'])
    .executeTakeFirstOrThrow();
}

export async function recordSuccessfulSignIn(db: Executor, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

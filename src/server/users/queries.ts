import { type Kysely, sql, type Transaction } from 'kysely';
import type { Role } from '../../common/permissions.ts';
import type { DB, NewUser, UserRow } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** Every account with this email, one per district at most: sign-in names no district. */
export function findUsersByEmail(db: Executor, email: string) {
  return db
    .selectFrom('users')
    .innerJoin('districts', 'districts.id', 'users.district_id')
    .selectAll('users')
    .select('districts.name as district_name')
    .where(sql<string>`lower(users.email)`, '=', email.toLowerCase())
    .orderBy('districts.name')
    .execute();
}

export function findUserByEmailInDistrict(
  db: Executor,
  districtId: string,
  email: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('district_id', '=', districtId)
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

/** The account in this district among those a sign-in proved. */
export function findUserAmong(
  db: Executor,
  districtId: string,
  userIds: string[],
): Promise<UserRow | undefined> {
  if (userIds.length === 0) return Promise.resolve(undefined);
  return db
    .selectFrom('users')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('id', 'in', userIds)
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

export async function recordSuccessfulSignIn(db: Executor, userId: string): Promise<void> {
  await db.updateTable('users').set({ last_sign_in_at: new Date() }).where('id', '=', userId).execute();
}

export type NotificationColumn = 'notify_reauthorization' | 'notify_sync_failures';

/** Active administrators who asked for this notification. */
export function listNotifiedAdmins(db: Executor, districtId: string, column: NotificationColumn) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('district_id', '=', districtId)
    .where('role', '=', 'district_admin')
    .where('disabled_at', 'is', null)
    .where(column, '=', true)
    .execute();
}

export function updateNotifications(
  db: Executor,
  districtId: string,
  userId: string,
  changes: Partial<Record<NotificationColumn, boolean>>,
) {
  return db
    .updateTable('users')
    .set(changes)
    .where('district_id', '=', districtId)
    .where('id', '=', userId)
    .returning(['notify_reauthorization', 'notify_sync_failures'])
    .executeTakeFirstOrThrow();
}

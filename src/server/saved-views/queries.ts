import { type Kysely, type Selectable, sql } from 'kysely';
import type { SavedViewList } from '../../common/savedViews.ts';
import type { DB, SavedViewsTable } from '../db/schema.ts';

export type SavedViewRow = Selectable<SavedViewsTable>;

/** Whose views: always one person in one district, from the request's context. */
export interface ViewOwner {
  districtId: string;
  userId: string;
}

export function listViews(db: Kysely<DB>, owner: ViewOwner, list: SavedViewList): Promise<SavedViewRow[]> {
  return db
    .selectFrom('saved_views')
    .selectAll()
    .where('district_id', '=', owner.districtId)
    .where('user_id', '=', owner.userId)
    .where('list', '=', list)
    .orderBy(sql`lower(name)`)
    .execute();
}

export function insertView(
  db: Kysely<DB>,
  owner: ViewOwner,
  view: { list: SavedViewList; name: string; filters: string; columns: string[] },
): Promise<SavedViewRow | undefined> {
  return db
    .insertInto('saved_views')
    .values({
      district_id: owner.districtId,
      user_id: owner.userId,
      list: view.list,
      name: view.name,
      filters: view.filters,
      columns: JSON.stringify(view.columns),
      updated_at: new Date(),
    })
    .onConflict((conflict) => conflict.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updateView(
  db: Kysely<DB>,
  owner: ViewOwner,
  id: string,
  changes: { name?: string | undefined; filters?: string | undefined; columns?: string[] | undefined },
): Promise<SavedViewRow | undefined> {
  return db
    .updateTable('saved_views')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.filters === undefined ? {} : { filters: changes.filters }),
      ...(changes.columns === undefined ? {} : { columns: JSON.stringify(changes.columns) }),
      updated_at: new Date(),
    })
    .where('district_id', '=', owner.districtId)
    .where('user_id', '=', owner.userId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteView(db: Kysely<DB>, owner: ViewOwner, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('saved_views')
    .where('district_id', '=', owner.districtId)
    .where('user_id', '=', owner.userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Whether another of the owner's views of the same list already has `name` (names are case-blind). */
export async function nameTakenByAnother(
  db: Kysely<DB>,
  owner: ViewOwner,
  id: string,
  name: string,
): Promise<boolean> {
  const clash = await db
    .selectFrom('saved_views as other')
    .innerJoin('saved_views as this', (join) =>
      join.onRef('this.user_id', '=', 'other.user_id').onRef('this.list', '=', 'other.list'),
    )
    .select('other.id')
    .where('this.id', '=', id)
    .where('this.district_id', '=', owner.districtId)
    .where('this.user_id', '=', owner.userId)
    .where('other.id', '!=', id)
    .where(sql<string>`lower(other.name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  return clash !== undefined;
}

import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  CreateSavedViewRequest,
  SavedView,
  SavedViewList,
  UpdateSavedViewRequest,
} from '../../common/savedViews.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { Conflict, Forbidden, NotFound } from '../errors.ts';
import * as queries from './queries.ts';

function toSavedView(row: queries.SavedViewRow): SavedView {
  return {
    id: row.id,
    list: row.list,
    name: row.name,
    filters: row.filters,
    columns: row.columns,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Views belong to a person; a token or job acting for no one has none. */
function ownerOf(ctx: RequestContext): queries.ViewOwner {
  if (!ctx.userId) throw new Forbidden('Saved views belong to a signed-in person');
  return { districtId: ctx.districtId, userId: ctx.userId };
}

function nameInUse(name: string): Conflict {
  return new Conflict(`You already have a view named "${name}"`, { field: 'name' });
}

export async function listSavedViews(
  ctx: RequestContext,
  db: Kysely<DB>,
  list: SavedViewList,
): Promise<SavedView[]> {
  const rows = await queries.listViews(db, ownerOf(ctx), list);
  return rows.map(toSavedView);
}

export async function createSavedView(
  ctx: RequestContext,
  db: Kysely<DB>,
  input: z.output<typeof CreateSavedViewRequest>,
): Promise<SavedView> {
  const row = await queries.insertView(db, ownerOf(ctx), input);
  if (!row) throw nameInUse(input.name);
  return toSavedView(row);
}

export async function updateSavedView(
  ctx: RequestContext,
  db: Kysely<DB>,
  id: string,
  changes: z.output<typeof UpdateSavedViewRequest>,
): Promise<SavedView> {
  const owner = ownerOf(ctx);
  if (changes.name !== undefined && (await queries.nameTakenByAnother(db, owner, id, changes.name))) {
    throw nameInUse(changes.name);
  }
  const row = await queries.updateView(db, owner, id, changes);
  if (!row) throw new NotFound('Saved view');
  return toSavedView(row);
}

export async function deleteSavedView(ctx: RequestContext, db: Kysely<DB>, id: string): Promise<void> {
  if (!(await queries.deleteView(db, ownerOf(ctx), id))) throw new NotFound('Saved view');
}

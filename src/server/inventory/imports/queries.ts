import type { Kysely, Selectable } from 'kysely';
import type { ImportResult } from '../../../common/inventory.ts';
import type { DB, ImportsTable } from '../../db/schema.ts';

export type ImportRow = Selectable<ImportsTable>;

const COLUMNS = [
  'id',
  'district_id',
  'user_id',
  'target',
  'dry_run',
  'skip_invalid',
  'state',
  'total_bytes',
  'read_bytes',
  'rows',
  'result',
  'error',
  'created_at',
  'updated_at',
  'finished_at',
] as const;

export function insertImport(
  db: Kysely<DB>,
  values: Pick<
    ImportsTable,
    'district_id' | 'user_id' | 'target' | 'dry_run' | 'skip_invalid' | 'total_bytes'
  >,
) {
  return db
    .insertInto('imports')
    .values({ ...values, state: 'queued' })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function markImportRunning(db: Kysely<DB>, id: string): Promise<void> {
  await db
    .updateTable('imports')
    .set({ state: 'running', updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function recordImportProgress(
  db: Kysely<DB>,
  id: string,
  progress: { readBytes: number; rows: number },
): Promise<void> {
  await db
    .updateTable('imports')
    .set({ read_bytes: progress.readBytes, rows: progress.rows, updated_at: new Date() })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .execute();
}

export async function finishImport(
  db: Kysely<DB>,
  id: string,
  outcome:
    | { result: ImportResult; readBytes: number }
    | { error: { code: string; message: string; details?: unknown }; readBytes: number },
): Promise<void> {
  const now = new Date();
  await db
    .updateTable('imports')
    .set({
      state: 'result' in outcome ? 'succeeded' : 'failed',
      read_bytes: outcome.readBytes,
      ...('result' in outcome
        ? { result: JSON.stringify(outcome.result), rows: outcome.result.rows }
        : { error: JSON.stringify(outcome.error) }),
      updated_at: now,
      finished_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export function findImport(db: Kysely<DB>, districtId: string, id: string) {
  return db
    .selectFrom('imports')
    .select(COLUMNS)
    .where('district_id', '=', districtId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listRecentImports(db: Kysely<DB>, districtId: string, limit: number) {
  return db
    .selectFrom('imports')
    .select(COLUMNS)
    .where('district_id', '=', districtId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

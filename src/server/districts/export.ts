import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { type Kysely, sql } from 'kysely';
import { recordAudit } from '../audit/service.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { districtTables } from './deletion.ts';
import { type ZipEntry, zipArchive } from './zip-archive.ts';

/**
 * Columns that hold credentials or their hashes (passwords, session and API tokens, MDM secrets, OAuth
 * verifiers): useless to the district outside Satchel and dangerous anywhere, so never exported.
 */
const SECRET_COLUMNS = new Set([
  'password_hash',
  'token_hash',
  'secret',
  'access_cache',
  'code_verifier',
  'state_hash',
]);
const PAGE = 1000;

async function exportedColumns(db: Kysely<DB>, table: string): Promise<string[]> {
  const { rows } = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = 'public' and table_name = ${table}
    order by ordinal_position`.execute(db);
  return rows.map((row) => row.column_name).filter((column) => !SECRET_COLUMNS.has(column));
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * One table's rows of the district as CSV, a page at a time in physical order (`ctid`): every table is read
 * the same way whatever its key, and memory stays flat however large the district.
 */
async function* tableCsv(
  db: Kysely<DB>,
  table: string,
  columns: string[],
  where: { column: string; value: string },
): AsyncGenerator<string> {
  yield stringify([columns]);
  let after = '(0,0)';
  for (;;) {
    const selected = sql.join(columns.map((column) => sql.ref(column)));
    const { rows } = await sql<Record<string, unknown> & { row_position: string }>`
      select ${selected}, ctid::text as row_position from ${sql.table(table)}
      where ${sql.ref(where.column)} = ${where.value} and ctid > ${after}::tid
      order by ctid limit ${PAGE}`.execute(db);
    if (rows.length > 0) yield stringify(rows.map((row) => columns.map((column) => cell(row[column]))));
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.row_position;
  }
}

async function* exportEntries(ctx: RequestContext, db: Kysely<DB>): AsyncGenerator<ZipEntry> {
  const tables = ['districts', ...(await districtTables(db))];
  const manifest = {
    district: ctx.districtId,
    exportedAt: new Date().toISOString(),
    exportedBy: ctx.actorLabel,
    files: tables.map((table) => `${table}.csv`),
    omitted: 'Password hashes, token hashes and stored MDM secrets are never exported.',
  };
  yield { name: 'manifest.json', content: [JSON.stringify(manifest, null, 2)] };
  for (const table of tables) {
    const columns = await exportedColumns(db, table);
    const where = { column: table === 'districts' ? 'id' : 'district_id', value: ctx.districtId };
    yield { name: `${table}.csv`, content: tableCsv(db, table, columns, where) };
  }
}

/** Everything Satchel holds about the caller's district, as a zip of one CSV per table; audited when it starts. */
export async function exportDistrict(ctx: RequestContext, db: Kysely<DB>): Promise<Readable> {
  await recordAudit(ctx, db, {
    action: 'district.exported',
    subjectType: 'district',
    subjectId: ctx.districtId,
  });
  return zipArchive(exportEntries(ctx, db));
}

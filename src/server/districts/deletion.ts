import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

/** Rows a district owns, per table (and its queued jobs as `jobs`). */
export type DistrictRowCounts = Record<string, number>;

/**
 * The tables holding a district's rows, read from the database itself so that a table added later is counted
 * without anyone remembering to list it here.
 */
export async function districtTables(db: Kysely<DB> | Transaction<DB>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'district_id' and t.table_type = 'BASE TABLE'
    order by c.table_name`.execute(db);
  return rows.map((row) => row.table_name);
}

/**
 * The job queue's tables that carry payloads, absent until the queue has started once. A partitioned table
 * answers for its partitions, so partitions are not listed again.
 */
async function jobTables(db: Kysely<DB> | Transaction<DB>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select c.relname as table_name from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'data' and not a.attisdropped
    where n.nspname = 'pgboss' and c.relkind in ('r', 'p') and not c.relispartition`.execute(db);
  return rows.map((row) => row.table_name);
}

export async function countDistrictRows(
  db: Kysely<DB> | Transaction<DB>,
  districtId: string,
): Promise<DistrictRowCounts> {
  const counts: DistrictRowCounts = {};
  const district = await sql<{
    count: number;
  }>`select count(*)::int as count from districts where id = ${districtId}`.execute(db);
  counts.districts = district.rows[0]?.count ?? 0;
  for (const table of await districtTables(db)) {
    const { rows } = await sql<{ count: number }>`
      select count(*)::int as count from ${sql.table(table)} where district_id = ${districtId}`.execute(db);
    counts[table] = rows[0]?.count ?? 0;
  }
  let jobs = 0;
  for (const table of await jobTables(db)) {
    const { rows } = await sql<{ count: number }>`
      select count(*)::int as count from ${sql.table(`pgboss.${table}`)}
      where data->>'districtId' = ${districtId}`.execute(db);
    jobs += rows[0]?.count ?? 0;
  }
  counts.jobs = jobs;
  return counts;
}

/**
 * Deletes a district for good: every row it owns (the database cascades from `districts`), its stored MDM
 * secrets with their connections, and its queued jobs, whose payloads can carry secrets too. Returns what
 * remains afterwards, counted table by table: all zeros.
 */
export async function deleteDistrict(db: Kysely<DB>, districtId: string): Promise<DistrictRowCounts> {
  await db.transaction().execute(async (trx) => {
    for (const table of await jobTables(trx)) {
      await sql`delete from ${sql.table(`pgboss.${table}`)} where data->>'districtId' = ${districtId}`.execute(
        trx,
      );
    }
    await trx.deleteFrom('districts').where('id', '=', districtId).execute();
  });
  return countDistrictRows(db, districtId);
}

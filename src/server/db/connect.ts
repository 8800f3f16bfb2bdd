import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { migrations } from './migrations/index.ts';
import { makeOwnerOnlyDirectory, restrictToOwner } from './owner-only.ts';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  kind: DatabaseKind;
  db: Kysely<DB>;
  /** Set in embedded mode: pg-boss shares this instance. */
  pglite: PGlite | undefined;
  /** Set in server mode: pg-boss shares this pool. */
  pool: pg.Pool | undefined;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;

/**
 * pg returns int8 as strings and dates as local-midnight Date objects; PGlite returns numbers and Dates.
 * Both get the same parsers so code and tests see identical values on either database.
 */
function parseInt8(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed))
    throw new RangeError(`int8 value ${value} exceeds the safe integer range`);
  return parsed;
}
const keepDateText = (value: string): string => value;

const PGLITE_SHARED_BUFFERS = '64MB';

export async function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<Database> {
  if (dataDir) await makeOwnerOnlyDirectory(dataDir);
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: { [INT8]: parseInt8, [DATE]: keepDateText },
    extensions: { pg_trgm },
    // PostgreSQL's default of 128 MB of shared buffers is memory the process holds from the start. The data
    // files are also cached by the operating system, but every page PostgreSQL reads from there goes through a
    // system call: with 100,000 devices and 80,000 people, a search by name took 55 ms with 128 MB, 57 ms with
    // 64 MB, 70 ms with 32 MB and 101 ms with 16 MB. 64 MB keeps that speed and saves about 70 MB.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
  });
  if (dataDir) await restrictToOwner(dataDir);
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    kind: 'pglite',
    db,
    pglite,
    pool: undefined,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      if (dataDir) await restrictToOwner(dataDir);
    },
  };
}

/**
 * Connections a process keeps open once it has them: a sync run asks for up to three at once (its page's
 * transaction, the next request's turn under the shared limit, a state check), and a new one costs its first
 * request tens of milliseconds. The pool closes the others after ten idle seconds.
 */
export const KEPT_CONNECTIONS = 3;

export function openPostgres(url: string, maxConnections = 10): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    min: Math.min(KEPT_CONNECTIONS, maxConnections),
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === INT8) return parseInt8;
        if (oid === DATE) return keepDateText;
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server closes (restart, failover, admin command) is dropped from the pool and
  // replaced on next use; without a listener the 'error' event would crash the process.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { kind: 'postgres', db, pglite: undefined, pool, close: () => db.destroy() };
}

/**
 * Opens the connections the pool keeps (none for the embedded database, which has one): a worker does this at
 * start, so its first run does not wait for them.
 */
export async function openKeptConnections(database: Database): Promise<void> {
  const { pool } = database;
  if (!pool) return;
  const clients = await Promise.all(Array.from({ length: pool.options.min ?? 0 }, () => pool.connect()));
  for (const client of clients) client.release();
}

export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

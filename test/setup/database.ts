import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { type Database, openPglite, openPostgres } from '../../src/server/db/connect.ts';
import { admin, withDatabase } from './global-postgres.ts';

/** A test database; `url` lets another process (a worker) open the same PostgreSQL database. */
export type TestDatabase = Database & { url: string | null };

/** A fresh, migrated database for one test file, on whichever database this project runs against. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const target = inject('testDatabase');
  if (target.kind === 'pglite') {
    const dump = await readFile(target.template);
    return { ...(await openPglite(undefined, new Blob([dump]))), url: null };
  }
  const name = `${target.template}_${randomBytes(4).toString('hex')}`;
  await admin(target.url, `create database ${name} template ${target.template}`);
  const url = withDatabase(target.url, name);
  const database = openPostgres(url, 5);
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      await admin(target.url, `drop database if exists ${name} with (force)`);
    },
  };
}

export function testDatabaseKind(): 'pglite' | 'postgres' {
  return inject('testDatabase').kind;
}

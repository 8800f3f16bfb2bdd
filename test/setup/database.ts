import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { type Database, openPglite, openPostgres } from '../../src/server/db/connect.ts';
import { admin, withDatabase } from './global-postgres.ts';

/** A fresh, migrated database for one test file, on whichever database this project runs against. */
export async function openTestDatabase(): Promise<Database> {
  const target = inject('testDatabase');
  if (target.kind === 'pglite') {
    const dump = await readFile(target.template);
    return openPglite(undefined, new Blob([dump]));
  }
  const name = `${target.template}_${randomBytes(4).toString('hex')}`;
  await admin(target.url, `create database ${name} template ${target.template}`);
  const database = openPostgres(withDatabase(target.url, name), 5);
  return {
    ...database,
    close: async () => {
      await database.close();
      await admin(target.url, `drop database if exists ${name} with (force)`);
    },
  };
}

export function testDatabaseKind(): 'pglite' | 'postgres' {
  return inject('testDatabase').kind;
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateToLatest, openPglite } from '../../src/server/db/connect.ts';

/** Migrates one in-memory PGlite and dumps it; every test file loads its own copy of the dump. */
export default async function setup(project: TestProject) {
  const directory = await mkdtemp(path.join(tmpdir(), 'satchel-test-'));
  const template = path.join(directory, 'template.tar.gz');
  const database = await openPglite(undefined);
  await migrateToLatest(database.db);
  const dump = await database.pglite!.dumpDataDir('gzip');
  await writeFile(template, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('testDatabase', { kind: 'pglite', template });
  return async () => {
    await rm(directory, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: { kind: 'pglite'; template: string } | { kind: 'postgres'; url: string; template: string };
  }
}

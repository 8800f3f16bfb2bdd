import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest, openPostgres } from '../../src/server/db/connect.ts';

/** Creates a migrated template database; test files clone it (CREATE DATABASE … TEMPLATE) and drop their clone. */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const template = `satchel_tpl_${process.pid}_${Date.now().toString(36)}`;
  await admin(url, `create database ${template}`);
  const database = openPostgres(withDatabase(url, template), 2);
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  project.provide('testDatabase', { kind: 'postgres', url, template });
  return async () => {
    const leftovers = await admin(url, `select datname from pg_database where datname like '${template}%'`);
    for (const { datname } of leftovers.rows)
      await admin(url, `drop database if exists ${datname} with (force)`);
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function admin(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<{ datname: string }>(statement);
  } finally {
    await client.end();
  }
}

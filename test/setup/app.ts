import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { type BuiltApp, buildApp } from '../../src/server/app.ts';
import type { AppDeps } from '../../src/server/app-deps.ts';
import { loadConfig } from '../../src/server/config.ts';
import { ephemeralKeys } from '../../src/server/secrets/keyring.ts';
import { openTestDatabase, type TestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  routes: BuiltApp['routes'];
  database: TestDatabase;
  deps: AppDeps;
  /** The environment the app's configuration was loaded from. */
  environment: Record<string, string>;
}

export const silentLog = pino({ level: 'silent' });
/** CSV uploads wait here while tests import them. */
export const TEST_UPLOAD_DIR = path.join(tmpdir(), 'satchel-test-uploads');

export async function createTestApp(
  environment: Record<string, string> = {},
  log: FastifyBaseLogger = silentLog,
): Promise<TestApp> {
  const database = await openTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    SATCHEL_DATA_DIR: '/nonexistent',
    SATCHEL_UPLOAD_DIR: TEST_UPLOAD_DIR,
    ...environment,
  });
  const deps: AppDeps = { config, database, ...ephemeralKeys(), jobs: undefined, log };
  const { app, routes } = await buildApp(deps);
  await app.ready();
  return { app, routes, database, deps, environment };
}

/** One app and database per test file, closed after it. */
export function withTestApp(environment: Record<string, string> = {}): () => TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await createTestApp(environment);
  });
  afterAll(async () => {
    await current?.app.close();
    await current?.database.close();
  });
  return () => {
    if (!current) throw new Error('The test app is not ready yet');
    return current;
  };
}

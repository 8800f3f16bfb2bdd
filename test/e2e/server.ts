import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import type { Database } from '../../src/server/db/connect.ts';
import { ephemeralKeys } from '../../src/server/secrets/keyring.ts';
import { silentLog } from '../setup/app.ts';
import { openTestDatabase } from '../setup/database.ts';

export interface RunningTestServer {
  url: string;
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/** The real app with the built web UI, listening on a free loopback port. */
export async function startTestServer(): Promise<RunningTestServer> {
  const database = await openTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', SATCHEL_DATA_DIR: '/nonexistent' });
  const { app } = await buildApp({
    config,
    database,
    ...ephemeralKeys(),
    jobs: undefined,
    log: silentLog,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

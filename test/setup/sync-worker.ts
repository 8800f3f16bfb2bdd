import pino from 'pino';
import { loadConfig } from '../../src/server/config.ts';
import { openPostgres } from '../../src/server/db/connect.ts';
import { runSync } from '../../src/server/mdm/sync/engine.ts';
import { Keyring } from '../../src/server/secrets/keyring.ts';

/**
 * A sync worker in a process of its own, for tests that kill it for real: runs one run against the
 * PostgreSQL database in SYNC_DATABASE_URL, then exits.
 */
const env = process.env;
const database = openPostgres(env.SYNC_DATABASE_URL!, 2);
const config = loadConfig({ ...env, NODE_ENV: 'test', SATCHEL_DATA_DIR: '/nonexistent' });
await runSync(
  {
    db: database.db,
    keyring: new Keyring(Buffer.from(env.SYNC_SECRET_KEY!, 'base64')),
    config,
    log: pino({ level: 'silent' }),
  },
  env.SYNC_RUN_ID!,
  env.SYNC_DISTRICT_ID!,
  new AbortController().signal,
);
await database.close();

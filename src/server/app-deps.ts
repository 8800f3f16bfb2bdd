import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Database } from './db/connect.ts';
import type { JobQueue } from './jobs/boss.ts';
import type { Keyring } from './secrets/keyring.ts';

/** Everything routes and services are built from; tests build it with their own database. */
export interface AppDeps {
  config: Config;
  database: Database;
  secretKey: Buffer;
  /** Encrypts and decrypts stored integration secrets. */
  keyring: Keyring;
  jobs: JobQueue | undefined;
  log: FastifyBaseLogger;
}

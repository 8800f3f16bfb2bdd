import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Database } from './db/connect.ts';
import type { JobQueue } from './jobs/boss.ts';

/** Everything routes and services are built from; tests build it with their own database. */
export interface AppDeps {
  config: Config;
  database: Database;
  secretKey: Buffer;
  jobs: JobQueue | undefined;
  log: FastifyBaseLogger;
}

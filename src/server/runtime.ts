import type { Server } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { buildApp } from './app.ts';
import { listenForCli } from './cli/control-socket.ts';
import { type Config, ConfigError } from './config.ts';
import {
  type Database,
  migrateToLatest,
  openKeptConnections,
  openPglite,
  openPostgres,
} from './db/connect.ts';
import { type DataDirLock, lockDataDir } from './db/data-dir-lock.ts';
import { issueSetupLinkIfEmpty } from './districts/service.ts';
import { listenForHealth } from './health.ts';
import { JobQueue } from './jobs/boss.ts';
import { jobDefinitions } from './jobs/definitions.ts';
import { loggerOptions } from './logger.ts';
import { resolveKeyring } from './secrets/resolve.ts';

export function createLogger(config: Config): FastifyBaseLogger {
  return pino(loggerOptions(config));
}

export class DataDirBusy extends Error {
  readonly pid: number;
  constructor(dataDir: string, pid: number) {
    super(`Another Satchel process (pid ${pid}) is using the embedded database in ${dataDir}.`);
    this.pid = pid;
  }
}

/** Opens the configured database; embedded mode first takes the data directory's lock. */
export async function openDatabase(
  config: Config,
): Promise<{ database: Database; lock: DataDirLock | undefined }> {
  if (config.database.kind === 'postgres')
    return { database: openPostgres(config.database.url), lock: undefined };
  const locked = await lockDataDir(config.dataDir);
  if (!locked.acquired) throw new DataDirBusy(config.dataDir, locked.heldBy);
  try {
    return { database: await openPglite(config.database.dataDir), lock: locked.lock };
  } catch (error) {
    await locked.lock.release();
    throw error;
  }
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The whole of `serve`: database, migrations, job queue, then by role the HTTP API and UI with the first-run
 * link (`web`), the job workers (`worker`), or both (`all`); the CLI socket for an embedded database.
 */
export async function startServer(config: Config, log: FastifyBaseLogger): Promise<RunningServer> {
  if (config.role !== 'all' && config.database.kind === 'pglite') {
    throw new ConfigError(
      `The embedded database belongs to one process, which serves the web and runs the jobs: ` +
        `run \`serve --role all\`, or set DATABASE_URL to run ${config.role} processes against PostgreSQL.`,
    );
  }
  const { database, lock } = await openDatabase(config);
  let jobs: JobQueue | undefined;
  let control: Server | undefined;
  let health: Server | undefined;
  // Jobs first: a running sync stops at its page boundary while the API still answers; then the API closes.
  const closeAll = async (closeApi?: () => Promise<unknown>) => {
    await jobs?.stop().catch((error) => log.error({ err: error }, 'stopping the job queue failed'));
    await closeApi?.();
    control?.close();
    health?.close();
    await database.close();
    await lock?.release();
  };
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length) log.info({ applied }, 'database migrated');
    const keyring = await resolveKeyring(config);
    const secretKey = keyring.current.key;
    jobs = new JobQueue(database, jobDefinitions, {
      work: config.role !== 'web',
      role: config.role,
      log,
      config,
      keyring,
    });
    await jobs.start();
    if (config.role !== 'web') await openKeptConnections(database);
    if (config.role === 'worker') {
      if (config.healthPort !== undefined)
        health = await listenForHealth({ config, database, jobs, log }, config.healthPort);
      const address = health?.address();
      const url = address && typeof address === 'object' ? `http://${config.host}:${address.port}` : '';
      log.info(
        { database: database.kind, role: config.role, health: url || undefined },
        'Satchel is running',
      );
      return { url, stop: () => closeAll() };
    }
    const { app } = await buildApp({ config, database, secretKey, keyring, jobs, log });
    const url = await app.listen({ port: config.port, host: config.host });
    if (lock) control = await listenForCli(config.dataDir, database, log);
    const setupLink = await issueSetupLinkIfEmpty(database.db, config.publicUrl);
    if (setupLink) {
      log.warn(
        `No district exists yet. Create the first district and its administrator (link valid for 1 hour): ${setupLink}`,
      );
    }
    log.info({ database: database.kind, role: config.role, url }, 'Satchel is running');
    return { url, stop: () => closeAll(() => app.close()) };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

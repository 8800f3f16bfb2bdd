import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import type { Database } from '../../src/server/db/connect.ts';
import { JobQueue } from '../../src/server/jobs/boss.ts';
import { jobDefinitions } from '../../src/server/jobs/definitions.ts';
import { ephemeralKeys } from '../../src/server/secrets/keyring.ts';
import { silentLog, TEST_UPLOAD_DIR } from '../setup/app.ts';
import { openTestDatabase } from '../setup/database.ts';

export interface RunningTestServer {
  url: string;
  app: FastifyInstance;
  database: Database;
  /** The job queue working in the server process, when `jobs` was asked for. */
  jobs: JobQueue | undefined;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /**
   * Loopback port to listen on, e.g. from `freePort()` when the address has to be known before the server
   * starts (an OAuth redirect URI registered with a fake provider). Default: a free port.
   */
  port?: number;
  /** Extra environment-style configuration (`GOOGLE_CLIENT_ID`, …), as `loadConfig` reads it. */
  environment?: Record<string, string>;
  /**
   * Start a job queue that works Satchel's jobs in the server process (needed by Sync now; authorizing an MDM
   * provider then queues its first sync too). Default: no queue, as before.
   */
  jobs?: boolean;
}

const HOST = '127.0.0.1';

/** A loopback port nothing listens on right now (the OS picks it; it is free again once this returns). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}

/** The origin the browser uses for a test server on `port`. */
export function testServerUrl(port: number): string {
  return `http://${HOST}:${port}`;
}

/**
 * The real app with the built web UI, listening on a loopback port. PUBLIC_URL is the address it listens on,
 * so links and redirects the server builds lead back to it.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<RunningTestServer> {
  const port = options.port ?? (await freePort());
  const url = testServerUrl(port);
  const database = await openTestDatabase();
  let app: FastifyInstance | undefined;
  let jobs: JobQueue | undefined;
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      SATCHEL_DATA_DIR: '/nonexistent',
      SATCHEL_UPLOAD_DIR: TEST_UPLOAD_DIR,
      PORT: String(port),
      PUBLIC_URL: url,
      ...options.environment,
    });
    const keys = ephemeralKeys();
    if (options.jobs) {
      jobs = new JobQueue(database, jobDefinitions, {
        work: true,
        log: silentLog,
        config,
        keyring: keys.keyring,
      });
      await jobs.start();
    }
    ({ app } = await buildApp({
      config,
      database,
      ...keys,
      jobs,
      log: silentLog,
    }));
    await app.listen({ host: HOST, port });
    const running = app;
    const queue = jobs;
    return {
      url,
      app: running,
      database,
      jobs: queue,
      close: async () => {
        await running.close();
        await queue?.stop();
        await database.close();
      },
    };
  } catch (error) {
    await app?.close();
    await jobs?.stop().catch(() => undefined);
    await database.close();
    throw error;
  }
}

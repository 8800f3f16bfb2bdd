import { createServer, type Server } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Health } from '../common/auth.ts';
import type { Config } from './config.ts';
import type { Database } from './db/connect.ts';
import type { JobQueue } from './jobs/boss.ts';
import { SYNC_JOB } from './mdm/sync/trigger.ts';

/** The queues a health check reports on. */
const REPORTED_QUEUES = [SYNC_JOB];

/** What `/api/v1/health` says of this process, its database and the job queue it shares with the others. */
export async function healthReport(deps: {
  config: Config;
  database: Database;
  jobs: JobQueue | undefined;
}): Promise<Health> {
  const queue = deps.jobs ? await deps.jobs.health(REPORTED_QUEUES) : { queues: {}, instances: [] };
  return {
    status: 'ok',
    role: deps.config.role,
    database: deps.database.kind,
    queues: queue.queues,
    instances: queue.instances,
  };
}

/** A worker process serves no API; with a health port set, it answers the same health check there. */
export async function listenForHealth(
  deps: { config: Config; database: Database; jobs: JobQueue | undefined; log: FastifyBaseLogger },
  port: number,
): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || (path !== '/health' && path !== '/api/v1/health')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not Found"}');
      return;
    }
    healthReport(deps).then(
      (report) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(report)),
      (error: unknown) => {
        deps.log.error({ err: error }, 'health check failed');
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"unavailable"}');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, deps.config.host, resolve);
  });
  return server;
}

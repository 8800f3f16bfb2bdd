import { createServer, type Server } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Health } from '../common/auth.ts';
import type { ErrorCode } from '../common/errors.ts';
import type { Config } from './config.ts';
import type { Database } from './db/connect.ts';
import { presentsHealthToken } from './http/health-token.ts';
import type { JobQueue } from './jobs/boss.ts';
import { SYNC_JOB } from './mdm/sync/trigger.ts';

/** The queues a health check reports on. */
const REPORTED_QUEUES = [SYNC_JOB];

/**
 * What `/api/v1/health/details` says of this process, its database and the job queue it shares with the
 * others. Instance ids and queue sizes are for the installation's administrators: the public `/api/v1/health`
 * says only that the process answers.
 */
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

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

function errorBody(code: ErrorCode, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/**
 * A worker process serves no API; with a health port set, it answers the same health checks there: the
 * public one, and the details to a caller holding the health token (a worker has no signed-in users).
 */
export async function listenForHealth(
  deps: { config: Config; database: Database; jobs: JobQueue | undefined; log: FastifyBaseLogger },
  port: number,
): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method === 'GET' && (path === '/health' || path === '/api/v1/health')) {
      response.writeHead(200, JSON_HEADERS).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (request.method !== 'GET' || path !== '/api/v1/health/details') {
      response.writeHead(404, JSON_HEADERS).end(errorBody('not_found', 'Not found'));
      return;
    }
    if (!presentsHealthToken(request.headers.authorization, deps.config)) {
      response
        .writeHead(401, JSON_HEADERS)
        .end(errorBody('unauthenticated', 'Send Authorization: Bearer <SATCHEL_HEALTH_TOKEN>'));
      return;
    }
    healthReport(deps).then(
      (report) => response.writeHead(200, JSON_HEADERS).end(JSON.stringify(report)),
      (error: unknown) => {
        deps.log.error({ err: error }, 'health check failed');
        response.writeHead(503, JSON_HEADERS).end('{"status":"unavailable"}');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, deps.config.host, resolve);
  });
  return server;
}

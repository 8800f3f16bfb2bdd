import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../../common/errors.ts';
import {
  ProviderParams,
  RequestScopeEstimates,
  RunParams,
  SYNCING_STATES,
  SyncRun,
  SyncRunList,
  SyncRunQuery,
  SyncUsage,
  SyncUsageQuery,
} from '../../../common/mdm.ts';
import type { AppDeps } from '../../app-deps.ts';
import { recordAudit } from '../../audit/service.ts';
import type { SyncRunRow } from '../../db/schema.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { requireContext, stillSignedIn } from '../../http/authenticate.ts';
import { providerByKey } from '../registry.ts';
import { connectionState } from './connection-state.ts';
import { requestScopeEstimates } from './estimates.ts';
import { apiCallsPerDay, findRun, isRunOf, listRunsPage } from './runs.ts';
import { requestSync } from './trigger.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

function toRun(row: SyncRunRow): SyncRun {
  return {
    id: row.id,
    provider: row.provider as SyncRun['provider'],
    trigger: row.trigger,
    strategy: row.strategy,
    estimate: row.estimate,
    state: row.state,
    counters: row.counters as Record<string, number>,
    error: row.error,
    queuedAt: row.queued_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

const DAY_MS = 24 * 3600 * 1000;

/** The last `count` UTC calendar days up to and including today's, oldest first, as `YYYY-MM-DD`. */
function utcDays(now: Date, count: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, index) =>
    new Date(today - (count - 1 - index) * DAY_MS).toISOString().slice(0, 10),
  );
}

export function syncRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const db = deps.database.db;
  const admin = { access: 'system.settings' } as const;
  return async (app) => {
    app.post(
      '/mdm/providers/:key/sync',
      {
        config: admin,
        schema: { tags: ['mdm'], params: ProviderParams, response: { 202: SyncRun, ...errors } },
      },
      async (request, reply) => {
        const ctx = requireContext(request);
        const provider = providerByKey(request.params.key);
        const connection = await connectionState(db, ctx.districtId, provider.key);
        if (!connection || !SYNCING_STATES.includes(connection.state))
          throw new Conflict(`${provider.name} is not active`);
        if (!deps.jobs) throw new Conflict('This Satchel process runs no job queue');
        const { run } = await requestSync(
          { db, jobs: deps.jobs },
          { id: connection.id, districtId: ctx.districtId, provider: provider.key },
          'manual',
        );
        await recordAudit(ctx, db, {
          action: 'mdm.sync_requested',
          subjectType: 'mdm_provider',
          subjectId: provider.key,
          details: { runId: run.id },
        });
        return reply.status(202).send(toRun(run));
      },
    );
    app.get(
      '/mdm/providers/:key/estimates',
      {
        config: admin,
        schema: {
          tags: ['mdm'],
          params: ProviderParams,
          response: { 200: RequestScopeEstimates, ...errors },
        },
      },
      async (request) => requestScopeEstimates(requireContext(request), db, request.params.key),
    );
    app.get(
      '/mdm/providers/:key/runs',
      {
        config: admin,
        schema: {
          tags: ['mdm'],
          params: ProviderParams,
          querystring: SyncRunQuery,
          response: { 200: SyncRunList, ...errors },
        },
      },
      async (request) => {
        const districtId = requireContext(request).districtId;
        const { key } = request.params;
        const { limit, before } = request.query;
        // One answer for unknown runs and other districts' runs, so a cursor never tells whether a run exists.
        if (before !== undefined && !(await isRunOf(db, districtId, key, before))) {
          throw new Invalid('The `before` cursor is not a run in this sync history', [
            { path: 'querystring.before', message: 'Not a run in this sync history' },
          ]);
        }
        const page = await listRunsPage(db, districtId, key, { limit, before: before ?? null });
        return { runs: page.runs.map(toRun), nextBefore: page.nextBefore };
      },
    );
    app.get(
      '/mdm/providers/:key/usage',
      {
        config: admin,
        schema: {
          tags: ['mdm'],
          params: ProviderParams,
          querystring: SyncUsageQuery,
          response: { 200: SyncUsage, ...errors },
        },
      },
      async (request) => {
        const days = utcDays(new Date(), request.query.days);
        const perDay = await apiCallsPerDay(
          db,
          requireContext(request).districtId,
          request.params.key,
          new Date(`${days[0]}T00:00:00Z`),
        );
        const daily = days.map((day) => ({ day, apiCalls: perDay.get(day) ?? 0 }));
        return {
          provider: request.params.key,
          from: days[0] as string,
          to: days.at(-1) as string,
          days: daily,
          total: daily.reduce((sum, entry) => sum + entry.apiCalls, 0),
        };
      },
    );
    app.get(
      '/mdm/runs/:id/events',
      { config: admin, schema: { tags: ['mdm'], params: RunParams, produces: ['text/event-stream'] } },
      async (request, reply) => {
        const districtId = requireContext(request).districtId;
        const first = await findRun(db, districtId, request.params.id);
        if (!first) throw new NotFound('Sync run');
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        let closed = false;
        request.raw.on('close', () => {
          closed = true;
        });
        // Server-sent progress: one event whenever the run's counters or state change, until it ends or the
        // session that asked for it does.
        let last = '';
        for (
          let run: SyncRunRow | undefined = first;
          run && !closed;
          run = await findRun(db, districtId, request.params.id)
        ) {
          const event = JSON.stringify(toRun(run));
          if (event !== last) reply.raw.write(`event: progress\ndata: ${event}\n\n`);
          last = event;
          if (run.state !== 'queued' && run.state !== 'running') break;
          await new Promise((resolve) => setTimeout(resolve, 1000));
          if (!closed && !(await stillSignedIn(request, { config: deps.config, db }))) {
            reply.raw.write('event: signed_out\ndata: {}\n\n');
            break;
          }
        }
        reply.raw.end();
      },
    );
    app.get(
      '/mdm/runs/:id',
      { config: admin, schema: { tags: ['mdm'], params: RunParams, response: { 200: SyncRun, ...errors } } },
      async (request) => {
        const run = await findRun(db, requireContext(request).districtId, request.params.id);
        if (!run) throw new NotFound('Sync run');
        return toRun(run);
      },
    );
  };
}

import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { RunEstimate } from '../../../common/mdm.ts';
import type { DB, SyncRunRow } from '../../db/schema.ts';
import type { PlanHistory } from './planner.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface SyncCounters {
  considered: number;
  matched: number;
  changed: number;
  unchanged: number;
  notFound: number;
  unmatchedProviderDevices: number;
  apiCalls: number;
  retries: number;
  pages: number;
}

export const EMPTY_COUNTERS: SyncCounters = {
  considered: 0,
  matched: 0,
  changed: 0,
  unchanged: 0,
  notFound: 0,
  unmatchedProviderDevices: 0,
  apiCalls: 0,
  retries: 0,
  pages: 0,
};

/** A run's counters as stored, with zeros for counters added since it was written. */
export function countersOf(run: Pick<SyncRunRow, 'counters'>): SyncCounters {
  return { ...EMPTY_COUNTERS, ...(run.counters as Partial<SyncCounters>) };
}

/**
 * Where a run stands, saved with each page it writes: where the next page starts (`cursor`), whether the pass
 * has read its last page, and the strategy it uses since a fallback (else the run's own).
 */
export const RunCheckpoint = z.object({
  cursor: z.string().nullable().default(null),
  passComplete: z.boolean().default(false),
  strategy: z.string().optional(),
});
export type RunCheckpoint = z.infer<typeof RunCheckpoint>;

export function checkpointOf(run: Pick<SyncRunRow, 'checkpoint'>): RunCheckpoint {
  return RunCheckpoint.parse(run.checkpoint ?? {});
}

export function openRun(db: Executor, connectionId: string) {
  return db
    .selectFrom('sync_runs')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('state', 'in', ['queued', 'running'])
    .executeTakeFirst();
}

/** Creates the connection's queued run, or returns the one already open (one run at a time per connection). */
export async function queueRun(
  db: Executor,
  run: { districtId: string; connectionId: string; provider: string; trigger: SyncRunRow['trigger'] },
): Promise<{ run: SyncRunRow; created: boolean }> {
  // The open run that turns the insert away can end before it is read back; then the connection has no open
  // run any more and the insert is tried again.
  for (let attempt = 1; ; attempt++) {
    const inserted = await db
      .insertInto('sync_runs')
      .values({
        district_id: run.districtId,
        connection_id: run.connectionId,
        provider: run.provider,
        trigger: run.trigger,
        state: 'queued',
        counters: JSON.stringify(EMPTY_COUNTERS),
      })
      .onConflict((oc) => oc.column('connection_id').where('state', 'in', ['queued', 'running']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { run: inserted, created: true };
    const existing = await openRun(db, run.connectionId);
    if (existing) return { run: existing, created: false };
    if (attempt === 5) throw new Error('A sync run neither started nor exists');
  }
}

export function findRun(db: Executor, districtId: string, runId: string) {
  return db
    .selectFrom('sync_runs')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('id', '=', runId)
    .executeTakeFirst();
}

export function listRuns(db: Executor, districtId: string, provider: string, limit: number) {
  return db
    .selectFrom('sync_runs')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .orderBy('queued_at', 'desc')
    .limit(limit)
    .execute();
}

/** Whether `runId` is one of the district's runs of `provider`, so it can serve as that list's paging cursor. */
export async function isRunOf(db: Executor, districtId: string, provider: string, runId: string) {
  const run = await db
    .selectFrom('sync_runs')
    .select('id')
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .where('id', '=', runId)
    .executeTakeFirst();
  return run !== undefined;
}

/**
 * A page of the district's runs of a provider, newest first (ties by id), after the cursor run when one is given.
 * The cursor's queued time is compared in SQL: read into a Date it would lose its microseconds and skip runs.
 */
export async function listRunsPage(
  db: Executor,
  districtId: string,
  provider: string,
  page: { limit: number; before: string | null },
): Promise<{ runs: SyncRunRow[]; nextBefore: string | null }> {
  let query = db
    .selectFrom('sync_runs')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('provider', '=', provider);
  if (page.before !== null) {
    query = query.where(
      sql<SqlBool>`(queued_at, id) < (select cursor_run.queued_at, cursor_run.id from sync_runs cursor_run where cursor_run.id = ${page.before} and cursor_run.district_id = ${districtId})`,
    );
  }
  const rows = await query
    .orderBy('queued_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const runs = rows.slice(0, page.limit);
  return { runs, nextBefore: rows.length > page.limit ? (runs.at(-1)?.id ?? null) : null };
}

/**
 * API calls per UTC day (`YYYY-MM-DD`) made by the district's runs of a provider from `since` on, each run
 * counted on the day it started (queued, if it never started). Days without calls are absent.
 */
export async function apiCallsPerDay(
  db: Executor,
  districtId: string,
  provider: string,
  since: Date,
): Promise<Map<string, number>> {
  const runDay = sql<Date>`coalesce(started_at, queued_at)`;
  const rows = await db
    .selectFrom('sync_runs')
    .select([
      sql<string>`to_char(${runDay} at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
      sql<number>`coalesce(sum(case when jsonb_typeof(counters->'apiCalls') = 'number' then (counters->>'apiCalls')::numeric else 0 end), 0)::bigint`.as(
        'api_calls',
      ),
    ])
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .where(runDay, '>=', since)
    .groupBy('day')
    .execute();
  return new Map(rows.map((row) => [row.day, Number(row.api_calls)]));
}

/**
 * What the planner needs from a connection's earlier runs, in one statement: a run's first round trip, and a
 * worker that asked for the three at once opened a database connection for each.
 */
export async function planHistory(db: Executor, connectionId: string): Promise<PlanHistory> {
  const { rows } = await sql<{
    last_success_at: Date | null;
    last_complete_at: Date | null;
    counted: { fleetSize?: number; fleetCountedAt?: string | null; fleetCountScope?: string | null } | null;
  }>`
    select
      (select started_at from sync_runs
        where connection_id = ${connectionId} and state = 'succeeded'
        order by started_at desc limit 1) as last_success_at,
      (select started_at from sync_runs
        where connection_id = ${connectionId} and state = 'succeeded'
          and coalesce(estimate->>'complete', 'true') = 'true'
        order by started_at desc limit 1) as last_complete_at,
      (select estimate from sync_runs
        where connection_id = ${connectionId} and estimate->>'fleetSize' is not null
        order by queued_at desc limit 1) as counted`.execute(db);
  const history = rows[0];
  const counted = history?.counted;
  return {
    lastSuccessAt: history?.last_success_at ? new Date(history.last_success_at) : null,
    lastCompletePassAt: history?.last_complete_at ? new Date(history.last_complete_at) : null,
    lastFleetSize: counted?.fleetSize ?? null,
    lastFleetCountAt: counted?.fleetCountedAt ? new Date(counted.fleetCountedAt) : null,
    lastFleetCountScope: counted?.fleetCountScope ?? null,
  };
}

/** How many devices the connection's latest incremental run found changed, or null when none has counted. */
export async function lastChangedCount(db: Executor, connectionId: string): Promise<number | null> {
  const row = await db
    .selectFrom('sync_runs')
    .select(sql<string | null>`estimate->>'changedCount'`.as('changed'))
    .where('connection_id', '=', connectionId)
    .where('state', '=', 'succeeded')
    .where(sql<SqlBool>`estimate->>'changedCount' is not null`)
    .orderBy('queued_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.changed == null ? null : Number(row.changed);
}

export async function startRun(
  db: Executor,
  runId: string,
  plan: { strategy: string; estimate: RunEstimate },
) {
  await db
    .updateTable('sync_runs')
    .set({
      state: 'running',
      started_at: new Date(),
      strategy: plan.strategy,
      estimate: JSON.stringify(plan.estimate),
    })
    .where('id', '=', runId)
    .execute();
}

/** Written in the same transaction as the page it follows, so a resumed run never skips or repeats a page. */
export async function saveCheckpoint(
  db: Transaction<DB>,
  runId: string,
  checkpoint: RunCheckpoint,
  counters: SyncCounters,
) {
  await db
    .updateTable('sync_runs')
    .set({ checkpoint: JSON.stringify(checkpoint), counters: JSON.stringify(counters) })
    .where('id', '=', runId)
    .execute();
}

/** The run changed strategy part-way: its row says which it uses now, and its estimate why. */
export async function recordFallback(
  db: Executor,
  runId: string,
  change: { strategy: string; estimate: RunEstimate },
) {
  await db
    .updateTable('sync_runs')
    .set({ strategy: change.strategy, estimate: JSON.stringify(change.estimate) })
    .where('id', '=', runId)
    .execute();
}

export async function finishRun(
  db: Executor,
  runId: string,
  outcome: { state: 'succeeded' | 'failed' | 'cancelled'; counters: SyncCounters; error?: string },
) {
  await db
    .updateTable('sync_runs')
    .set({
      state: outcome.state,
      finished_at: new Date(),
      counters: JSON.stringify(outcome.counters),
      error: outcome.error ?? null,
    })
    .where('id', '=', runId)
    .execute();
}

/** Deactivation: runs not yet started never start. A running one stops at its next page boundary. */
export async function cancelQueuedRuns(db: Executor, connectionId: string): Promise<void> {
  await db
    .updateTable('sync_runs')
    .set({ state: 'cancelled', finished_at: new Date(), error: 'The provider was deactivated' })
    .where('connection_id', '=', connectionId)
    .where('state', '=', 'queued')
    .execute();
}

/** The outcomes of the connection's latest finished runs, newest first (cancelled runs do not count). */
export async function latestOutcomes(
  db: Executor,
  districtId: string,
  provider: string,
  limit: number,
): Promise<SyncRunRow['state'][]> {
  const rows = await db
    .selectFrom('sync_runs')
    .select('state')
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .where('state', 'in', ['succeeded', 'failed'])
    .orderBy('finished_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.state);
}

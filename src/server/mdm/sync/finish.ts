import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/service.ts';
import type { Config } from '../../config.ts';
import type { RequestContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { ProviderError } from '../../errors.ts';
import { recordSyncOutcome } from './connection-state.ts';
import { noticeFailedRun } from './failure-notices.ts';
import { finishRun, type SyncCounters } from './runs.ts';
import { markNotFound } from './writer.ts';

/**
 * The run read its last page: tracked devices it did not see are `not_found` (only after a complete pass,
 * one that looked at every tracked device), and the run and the connection's summary record the outcome, in
 * one transaction. Returns the final counters.
 */
export async function finishPass(
  db: Kysely<DB>,
  run: {
    districtId: string;
    provider: string;
    runId: string;
    strategy: string | null;
    /** Whether the pass looked at every tracked device. */
    complete: boolean;
    /** Every tracked device's id (a complete pass loads them all). */
    trackedIds: readonly string[];
    seen: ReadonlySet<string>;
    counters: SyncCounters;
  },
): Promise<SyncCounters> {
  return db.transaction().execute(async (trx) => {
    const notFound = run.complete
      ? await markNotFound(trx, {
          districtId: run.districtId,
          provider: run.provider,
          runId: run.runId,
          unseenDeviceIds: run.trackedIds.filter((id) => !run.seen.has(id)),
          fetchedAt: new Date(),
        })
      : run.counters.notFound;
    const counters = { ...run.counters, matched: run.seen.size, notFound };
    await finishRun(trx, run.runId, { state: 'succeeded', counters });
    await recordSyncOutcome(trx, {
      districtId: run.districtId,
      provider: run.provider,
      runId: run.runId,
      state: 'succeeded',
      counters,
      strategy: run.strategy,
    });
    return counters;
  });
}

/** A run that cannot go on (the connection was deactivated, or never was active): cancelled, not failed. */
export async function cancelRun(
  db: Kysely<DB>,
  runId: string,
  counters: SyncCounters,
  reason: string,
): Promise<void> {
  await finishRun(db, runId, { state: 'cancelled', counters, error: reason });
}

/**
 * A failed run: the provider's reason is kept on the run and the connection, which moves to `error` (it keeps
 * its schedule) or, when the provider refused the authorization, to `needs_reauthorization` (paused).
 */
export async function failRun(
  ctx: RequestContext,
  { db, config }: { db: Kysely<DB>; config: Config },
  run: { provider: string; runId: string; counters: SyncCounters },
  error: unknown,
): Promise<string> {
  const message = error instanceof ProviderError ? error.message : 'The sync failed unexpectedly';
  if (!(error instanceof ProviderError)) ctx.log.error({ err: error }, 'sync failed');
  await finishRun(db, run.runId, { state: 'failed', counters: run.counters, error: message });
  const reauthorize = error instanceof ProviderError && error.reason === 'auth_revoked';
  await recordSyncOutcome(db, {
    districtId: ctx.districtId,
    provider: run.provider,
    runId: run.runId,
    state: 'failed',
    counters: run.counters,
    error: message,
    connectionState: reauthorize ? 'needs_reauthorization' : 'error',
  });
  await recordAudit(ctx, db, {
    action: reauthorize ? 'mdm.authorization_rejected' : 'mdm.sync_failed',
    subjectType: 'mdm_provider',
    subjectId: run.provider,
    details: { runId: run.runId, error: message },
  });
  await noticeFailedRun(ctx, { db, config }, { provider: run.provider, reauthorize, message });
  return message;
}

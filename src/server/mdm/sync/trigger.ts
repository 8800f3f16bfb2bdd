import type { Kysely } from 'kysely';
import type { DB, SyncRunRow } from '../../db/schema.ts';
import { inventorySize } from '../../inventory/index.ts';
import type { JobQueue } from '../../jobs/boss.ts';
import { queueRun } from './runs.ts';

export const SYNC_JOB = 'mdm.sync';

/**
 * Waiting runs start smallest district first: a run of a few hundred devices takes a call or two and a
 * moment, so it goes ahead of a 30,000-device district's full sync instead of waiting out its minutes.
 * Larger runs wait for smaller ones only while those are queued, which is never long, and while one runs,
 * a larger run pauses between its pages (the sync job), so that the smaller one has the machine.
 */
async function runPriority(db: Kysely<DB>, districtId: string): Promise<number> {
  // pg-boss takes higher numbers first: each doubling of the inventory is one step down.
  return -Math.ceil(Math.log2((await inventorySize(db, districtId)) + 1));
}

/**
 * Queues a sync run for a connection and hands it to the job queue. A connection has at most one open run:
 * asking again while one is queued or running returns that run.
 */
export async function requestSync(
  deps: { db: Kysely<DB>; jobs: JobQueue },
  connection: { id: string; districtId: string; provider: string },
  trigger: SyncRunRow['trigger'],
): Promise<{ run: SyncRunRow; created: boolean }> {
  const queued = await queueRun(deps.db, {
    districtId: connection.districtId,
    connectionId: connection.id,
    provider: connection.provider,
    trigger,
  });
  if (queued.created) {
    const priority = await runPriority(deps.db, connection.districtId);
    // The run carries its priority too: it gives way, page by page, to runs of smaller districts (engine.ts).
    await deps.jobs.send(
      SYNC_JOB,
      { runId: queued.run.id, districtId: connection.districtId, priority },
      { singletonKey: connection.id, priority },
    );
  }
  return queued;
}

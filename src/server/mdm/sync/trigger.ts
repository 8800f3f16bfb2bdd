import type { Kysely } from 'kysely';
import type { DB, SyncRunRow } from '../../db/schema.ts';
import type { JobQueue } from '../../jobs/boss.ts';
import { queueRun } from './runs.ts';

export const SYNC_JOB = 'mdm.sync';

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
    await deps.jobs.send(
      SYNC_JOB,
      { runId: queued.run.id, districtId: connection.districtId },
      { singletonKey: connection.id },
    );
  }
  return queued;
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DB, SyncRunRow } from '../../db/schema.ts';
import { inventorySize } from '../../inventory/index.ts';
import type { JobQueue } from '../../jobs/boss.ts';
import { queueRun } from './runs.ts';

export const SYNC_JOB = 'mdm.sync';
/** Tries, 100 ms apart, to hand a new run's job over while the previous run's job is completing. */
const JOB_HANDOVER_ATTEMPTS = 50;

/**
 * Waiting runs start smallest district first: a run of a few hundred devices takes a call or two and a
 * moment, so it goes ahead of a 30,000-device district's full sync instead of waiting out its minutes.
 * Larger runs wait for smaller ones only while those are queued, which is never long, and while one runs,
 * a larger run pauses between its pages (the sync job), so that the smaller one has the machine.
 */
async function runPriority(db: Kysely<DB>, districtId: string): Promise<number> {
  return priorityOfSize(await inventorySize(db, districtId));
}

/** pg-boss takes higher numbers first: each doubling of the inventory is one step down. */
export function priorityOfSize(devices: number): number {
  return -Math.ceil(Math.log2(devices + 1));
}

/** Districts of up to this many devices (rounded up to the next power of two, less one) are small. */
export const SMALL_DISTRICT_DEVICES = 1000;

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
  if (queued.run.state !== 'queued') return queued;
  const priority = await runPriority(deps.db, connection.districtId);
  // The run carries its priority too: it gives way, page by page, to runs of smaller districts (engine.ts).
  const send = () =>
    deps.jobs.send(
      SYNC_JOB,
      { runId: queued.run.id, districtId: connection.districtId, priority },
      { singletonKey: connection.id, priority },
    );
  // pg-boss holds one job per connection. A run queued just as the previous one ended can find that run's job
  // not yet completed, which turns the new job away: it is offered again until the old job has gone. A press
  // that finds a run still queued offers its job again too (a no-op while it is there), so a run whose job
  // was lost regardless starts at the next press or scheduled sync instead of blocking the connection.
  for (let attempt = 1; !(await send()) && queued.created && attempt < JOB_HANDOVER_ATTEMPTS; attempt++)
    await sleep(100);
  return queued;
}

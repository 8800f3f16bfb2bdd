import { sql } from 'kysely';
import { SYNCING_STATES } from '../../../common/mdm.ts';
import { defineJob } from '../../jobs/queue.ts';
import { runSync } from './engine.ts';
import { priorityOfSize, requestSync, SMALL_DISTRICT_DEVICES, SYNC_JOB } from './trigger.ts';
import { refreshRecordStatistics } from './writer.ts';

/** One sync run. pg-boss retries a crashed run, which resumes from its last checkpoint. */
export const syncJob = defineJob<{ runId: string; districtId: string; priority?: number }>({
  name: SYNC_JOB,
  policy: 'exclusive',
  // Provider faults end the run inside the handler; a job fails only when its worker stopped or died, and
  // is then soon picked up again, by whichever worker is free, from the run's checkpoint.
  options: (config) => ({
    retryLimit: 10,
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 120,
    expireInSeconds: 4 * 3600,
    heartbeatSeconds: config.jobHeartbeatSeconds,
    // Sync now should start now: a free worker is woken by the new job instead of finding it at its next poll.
    notify: true,
  }),
  localConcurrency: (config) => config.syncConcurrency,
  // Some slots run small districts' syncs only: with every other slot busy on large full syncs, a district of
  // a few hundred devices still starts at once instead of waiting out their minutes.
  reservedSlots: (config) => ({
    slots: config.syncReservedSlots,
    minPriority: priorityOfSize(SMALL_DISTRICT_DEVICES),
  }),
  // A run slot that has finished a run takes the next waiting one at once, not at its next poll: with many
  // short runs queued, two seconds between them would leave most slots idle while runs wait.
  fetching: { notifyPollingIntervalSeconds: 2, nextAtOnce: true },
  async handle({ database, keyring, config, log, jobs }, job) {
    const { priority } = job.data;
    const outcome = await runSync(
      {
        db: database.db,
        keyring,
        config,
        log,
        ...(priority === undefined ? {} : { smallerRunning: () => jobs.running(SYNC_JOB, priority) }),
      },
      job.data.runId,
      job.data.districtId,
      job.signal,
    );
    if (outcome) await refreshRecordStatistics(database.db, outcome.rewritten);
  },
});

/** Every minute: queue a run for each active connection whose interval has come round. */
export const scheduleDueSyncs = defineJob({
  name: 'mdm.schedule',
  policy: 'singleton',
  options: { retryLimit: 0, expireInSeconds: 120 },
  cron: '* * * * *',
  async handle({ database, jobs, log }) {
    const due = await database.db
      .updateTable('mdm_connections')
      .set({ next_sync_at: sql`now() + make_interval(mins => (settings->>'intervalMinutes')::int)` })
      .where('state', 'in', SYNCING_STATES)
      .where((eb) => eb.or([eb('next_sync_at', 'is', null), eb('next_sync_at', '<=', new Date())]))
      .returning(['id', 'district_id', 'provider'])
      .execute();
    for (const connection of due) {
      await requestSync(
        { db: database.db, jobs },
        { id: connection.id, districtId: connection.district_id, provider: connection.provider },
        'schedule',
      );
    }
    if (due.length > 0) log.info({ queued: due.length }, 'scheduled syncs queued');
  },
});

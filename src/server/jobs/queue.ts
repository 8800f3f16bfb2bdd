import type { FastifyBaseLogger } from 'fastify';
import type { Job, Queue, QueuePolicy, SendOptions, WorkOptions } from 'pg-boss';
import type { Config } from '../config.ts';
import type { Database } from '../db/connect.ts';
import type { Keyring } from '../secrets/keyring.ts';
import type { JobQueue } from './boss.ts';

/** What a job handler may use; features add their own needs here rather than reaching for globals. */
export interface JobDeps {
  database: Database;
  log: FastifyBaseLogger;
  config: Config;
  keyring: Keyring;
  /** For jobs that enqueue other jobs. */
  jobs: JobQueue;
}

/**
 * A job is declared once: its queue policy and retry options, an optional installation-wide cron schedule,
 * and its handler. boss.ts turns the list into pg-boss queues, schedules and workers.
 */
export interface JobDefinition<Payload extends object = object> {
  name: string;
  policy: QueuePolicy;
  /** The queue's options, or a function of the configuration for those an operator tunes. */
  options: QueueOptions | ((config: Config) => QueueOptions);
  /** Installation-wide schedule (per-district schedules are set by the feature that owns them). */
  cron?: string;
  /** Jobs of this queue one worker process runs at once. */
  localConcurrency?: number | ((config: Config) => number);
  /**
   * How a worker looks for this queue's jobs, when pg-boss's polling intervals do not fit. `nextAtOnce`: a
   * slot that has finished a job fetches the next straight away instead of at its next poll.
   */
  fetching?: Pick<WorkOptions, 'pollingIntervalSeconds' | 'notifyPollingIntervalSeconds'> & {
    nextAtOnce?: boolean;
  };
  /**
   * Slots (of `localConcurrency`) that take only jobs of at least `minPriority`: capacity
   * kept for urgent work, which a burst of long low-priority jobs can then never fill entirely.
   */
  reservedSlots?: (config: Config) => { slots: number; minPriority: number };
  handle(deps: JobDeps, job: Job<Payload>): Promise<void>;
}

export type QueueOptions = Omit<Queue, 'name' | 'policy'>;

export function defineJob<Payload extends object>(
  definition: JobDefinition<Payload>,
): JobDefinition<Payload> {
  return definition;
}

export type SendJobOptions = SendOptions;

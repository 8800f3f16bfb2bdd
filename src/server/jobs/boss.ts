import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql, type Transaction } from 'kysely';
import { fromKysely, fromPglite, type Job, PgBoss, type SendOptions } from 'pg-boss';
import type { Config } from '../config.ts';
import type { Database } from '../db/connect.ts';
import type { DB } from '../db/schema.ts';
import type { Keyring } from '../secrets/keyring.ts';
import type { JobDefinition, JobDeps } from './queue.ts';

export interface JobQueueOptions {
  /** Whether this process takes jobs (a web-only process only enqueues). */
  work: boolean;
  /** The process's role, as the queue's registry of instances names it. */
  role?: string;
  log: FastifyBaseLogger;
  config: Config;
  keyring: Keyring;
}

/** Where pg-boss keeps its tables. */
const SCHEMA = 'pgboss';

/**
 * pg-boss on either database: embedded PGlite shares the app's instance (`fromPglite`), PostgreSQL gets
 * its own small pool. Queues are declared from job definitions and their policies asserted at boot,
 * because pg-boss cannot change a queue's policy in place.
 */
export class JobQueue {
  readonly boss: PgBoss;
  readonly #definitions: readonly JobDefinition<object>[];
  readonly #deps: JobDeps;
  readonly #options: JobQueueOptions;
  /** Aborted on stop: running handlers end at their next safe point and their jobs go back to the queue. */
  readonly #stopping = new AbortController();

  constructor(database: Database, definitions: readonly JobDefinition<object>[], options: JobQueueOptions) {
    // A killed worker's jobs are noticed within half a heartbeat of going quiet (the supervisor's passes
    // need both timers).
    const pass = Math.min(60, Math.ceil(options.config.jobHeartbeatSeconds / 2));
    const instance = {
      instanceName: options.role ?? 'all',
      superviseIntervalSeconds: pass,
      monitorIntervalSeconds: pass,
    };
    this.boss = database.pglite
      ? new PgBoss({ backend: 'pglite', db: fromPglite(database.pglite), schema: SCHEMA, ...instance })
      : // Workers on other processes hear of a new job at once (LISTEN/NOTIFY) rather than at their next poll.
        new PgBoss({
          connectionString: postgresUrl(database),
          max: 4,
          schema: SCHEMA,
          useListenNotify: true,
          ...instance,
        });
    this.#definitions = definitions;
    this.#deps = { database, log: options.log, config: options.config, keyring: options.keyring, jobs: this };
    this.#options = options;
    this.boss.on('error', (error) => options.log.error({ err: error }, 'job queue error'));
  }

  async start(): Promise<void> {
    await this.boss.start();
    for (const definition of this.#definitions) await this.#declare(definition);
    if (this.#options.work) for (const definition of this.#definitions) await this.#work(definition);
  }

  /**
   * Stops taking jobs, then asks running handlers to stop (a sync run finishes the page in hand and keeps
   * its checkpoint), and waits for them: their jobs fail back to the queue, and another worker resumes them.
   */
  async stop(): Promise<void> {
    if (this.#options.work)
      for (const definition of this.#definitions) await this.boss.offWork(definition.name, { wait: false });
    this.#stopping.abort();
    await this.boss.stop({ graceful: true, timeout: 20_000 });
  }

  /**
   * Jobs waiting and running per queue, counted now (pg-boss's own queue statistics are only refreshed at its
   * monitoring passes), and the processes working the queues with their last heartbeat.
   */
  async health(names: readonly string[]): Promise<QueueHealth> {
    const [counts, instances] = await Promise.all([
      sql<{ name: string; queued: number; active: number }>`
        select name,
          count(*) filter (where state in ('created', 'retry') and start_after <= now())::int as queued,
          count(*) filter (where state = 'active')::int as active
        from ${sql.table(`${SCHEMA}.job`)}
        where name = any(${[...names]}::text[]) and state in ('created', 'retry', 'active')
        group by name`.execute(this.#deps.database.db),
      this.boss.getInstances(),
    ]);
    const now = Date.now();
    const byName = new Map(counts.rows.map((row) => [row.name, row]));
    return {
      queues: Object.fromEntries(
        names.map((name) => [
          name,
          { queued: byName.get(name)?.queued ?? 0, active: byName.get(name)?.active ?? 0 },
        ]),
      ),
      instances: instances
        .filter((instance) => instance.stoppedOn === null)
        .map((instance) => ({
          id: instance.id,
          role: instance.name ?? 'all',
          live: instance.live,
          heartbeatAgeSeconds: Math.max(0, Math.round((now - instance.heartbeatOn.getTime()) / 1000)),
          activeJobs: instance.workers.reduce((sum, worker) => sum + worker.active, 0),
        })),
    };
  }

  /** Whether any process is running a job of this queue with a higher priority than `priority`. */
  async running(name: string, priority: number): Promise<boolean> {
    const { rows } = await sql<{ running: boolean }>`
      select exists (
        select 1 from ${sql.table(`${SCHEMA}.job`)} where name = ${name} and state = 'active' and priority > ${priority}
      ) as running`.execute(this.#deps.database.db);
    return rows[0]?.running === true;
  }

  /** Enqueue; pass the open transaction so the job commits or rolls back with the caller's writes. */
  async send(
    name: string,
    data: object,
    options: SendOptions = {},
    trx?: Transaction<DB> | Kysely<DB>,
  ): Promise<string | null> {
    return this.boss.send(name, data, trx ? { ...options, db: fromKysely(trx) } : options);
  }

  async #declare(definition: JobDefinition<object>): Promise<void> {
    const options =
      typeof definition.options === 'function'
        ? definition.options(this.#options.config)
        : definition.options;
    const existing = await this.boss.getQueue(definition.name);
    if (!existing) {
      await this.boss.createQueue(definition.name, { policy: definition.policy, ...options });
    } else if ((existing.policy ?? 'standard') !== definition.policy) {
      throw new Error(
        `Queue ${definition.name} has policy ${existing.policy} but ${definition.policy} is declared; ` +
          'a migration must recreate it before this version can run',
      );
    } else {
      await this.boss.updateQueue(definition.name, options);
    }
    if (definition.cron)
      await this.boss.schedule(definition.name, definition.cron, {}, { key: 'installation' });
  }

  async #work(definition: JobDefinition<object>): Promise<void> {
    const concurrency =
      typeof definition.localConcurrency === 'function'
        ? definition.localConcurrency(this.#options.config)
        : (definition.localConcurrency ?? 1);
    const { nextAtOnce, ...fetching } = definition.fetching ?? {};
    const reserved = definition.reservedSlots?.(this.#options.config) ?? { slots: 0, minPriority: 0 };
    // At least one slot takes any job.
    const reservedSlots = Math.min(reserved.slots, concurrency - 1);
    const handle = async (jobs: Job<object>[]) => {
      for (const job of jobs) {
        const log = this.#deps.log.child({ job: definition.name, jobId: job.id });
        const signal = AbortSignal.any([job.signal, this.#stopping.signal]);
        await definition.handle({ ...this.#deps, log }, { ...job, signal });
      }
    };
    if (!nextAtOnce && reservedSlots === 0) {
      await this.boss.work(
        definition.name,
        { localConcurrency: concurrency, batchSize: 1, ...fetching },
        handle,
      );
      return;
    }
    // One pg-boss worker per slot: the first `reservedSlots` take only jobs of at least the reserved priority.
    // With `nextAtOnce` each knows its own id, so that a slot which has finished a job looks for the next one at
    // once rather than after its polling interval. (pg-boss's own burst mode goes by queue statistics refreshed
    // only at each monitoring pass, which say nothing of a backlog queued since.)
    for (let slot = 0; slot < concurrency; slot++) {
      let workerId: string | undefined;
      workerId = await this.boss.work(
        definition.name,
        {
          localConcurrency: 1,
          batchSize: 1,
          ...fetching,
          ...(slot < reservedSlots ? { minPriority: reserved.minPriority } : {}),
        },
        async (jobs: Job<object>[]) => {
          await handle(jobs);
          if (nextAtOnce && workerId) this.boss.notifyWorker(workerId);
        },
      );
    }
  }
}

export interface QueueHealth {
  queues: Record<string, { queued: number; active: number }>;
  instances: {
    id: string;
    role: string;
    live: boolean;
    heartbeatAgeSeconds: number;
    activeJobs: number;
  }[];
}

function postgresUrl(database: Database): string {
  const url = database.pool?.options.connectionString;
  if (!url) throw new Error('The PostgreSQL job queue needs the connection URL');
  return url;
}

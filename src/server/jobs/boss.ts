import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { fromKysely, fromPglite, type Job, PgBoss, type SendOptions } from 'pg-boss';
import type { Config } from '../config.ts';
import type { Database } from '../db/connect.ts';
import type { DB } from '../db/schema.ts';
import type { Keyring } from '../secrets/keyring.ts';
import type { JobDefinition, JobDeps } from './queue.ts';

export interface JobQueueOptions {
  /** Whether this process takes jobs (a web-only process only enqueues). */
  work: boolean;
  log: FastifyBaseLogger;
  config: Config;
  keyring: Keyring;
}

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

  constructor(database: Database, definitions: readonly JobDefinition<object>[], options: JobQueueOptions) {
    this.boss = database.pglite
      ? new PgBoss({ backend: 'pglite', db: fromPglite(database.pglite), schema: 'pgboss' })
      : new PgBoss({ connectionString: postgresUrl(database), max: 4, schema: 'pgboss' });
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

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 20_000 });
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
    const existing = await this.boss.getQueue(definition.name);
    if (!existing) {
      await this.boss.createQueue(definition.name, { policy: definition.policy, ...definition.options });
    } else if ((existing.policy ?? 'standard') !== definition.policy) {
      throw new Error(
        `Queue ${definition.name} has policy ${existing.policy} but ${definition.policy} is declared; ` +
          'a migration must recreate it before this version can run',
      );
    } else {
      await this.boss.updateQueue(definition.name, definition.options);
    }
    if (definition.cron)
      await this.boss.schedule(definition.name, definition.cron, {}, { key: 'installation' });
  }

  async #work(definition: JobDefinition<object>): Promise<void> {
    await this.boss.work(
      definition.name,
      { localConcurrency: definition.localConcurrency ?? 1, batchSize: 1 },
      async (jobs: Job<object>[]) => {
        for (const job of jobs) {
          const log = this.#deps.log.child({ job: definition.name, jobId: job.id });
          await definition.handle({ ...this.#deps, log }, job);
        }
      },
    );
  }
}

function postgresUrl(database: Database): string {
  const url = database.pool?.options.connectionString;
  if (!url) throw new Error('The PostgreSQL job queue needs the connection URL');
  return url;
}

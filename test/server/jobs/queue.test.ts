import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredCredentials } from '../../../src/server/auth/jobs.ts';
import { loadConfig } from '../../../src/server/config.ts';
import type { Database } from '../../../src/server/db/connect.ts';
import { JobQueue } from '../../../src/server/jobs/boss.ts';
import { defineJob } from '../../../src/server/jobs/queue.ts';
import { ephemeralKeys } from '../../../src/server/secrets/keyring.ts';
import { silentLog } from '../../setup/app.ts';
import { openTestDatabase } from '../../setup/database.ts';
import { createDistrict } from '../../setup/factories.ts';

const seen: string[] = [];
const recordingJob = defineJob<{ label: string }>({
  name: 'test.record',
  policy: 'standard',
  options: { retryLimit: 0 },
  async handle(_deps, job) {
    seen.push(job.data.label);
  },
});

const chainedRuns: number[] = [];
/** One slot, polling only every 30 s, that takes the next waiting job as soon as it has finished one. */
const chainedJob = defineJob<{ n: number }>({
  name: 'test.chained',
  policy: 'standard',
  options: { retryLimit: 0 },
  localConcurrency: 1,
  fetching: { pollingIntervalSeconds: 30, nextAtOnce: true },
  async handle(_deps, job) {
    chainedRuns.push(job.data.n);
  },
});

let releaseHeld: () => void = () => undefined;
let held = Promise.resolve();
/** Jobs of `test.held` that start from now on run until `releaseHeld()`. */
function holdJobs() {
  held = new Promise<void>((resolve) => {
    releaseHeld = resolve;
  });
}
const startedHeld: number[] = [];
/** Runs until the test lets it go. */
const heldJob = defineJob<{ n: number }>({
  name: 'test.held',
  policy: 'standard',
  options: { retryLimit: 0 },
  async handle(_deps, job) {
    startedHeld.push(job.data.n);
    await held;
  },
});

const startedSlotted: string[] = [];
/** Two slots, one of them kept for jobs of priority -10 and above; runs until the test lets it go. */
const slottedJob = defineJob<{ label: string }>({
  name: 'test.slotted',
  policy: 'standard',
  options: { retryLimit: 0 },
  localConcurrency: 2,
  fetching: { nextAtOnce: true },
  reservedSlots: () => ({ slots: 1, minPriority: -10 }),
  async handle(_deps, job) {
    startedSlotted.push(job.data.label);
    await held;
  },
});

let database: Database;
let queue: JobQueue;
const queueOptions = () => ({
  log: silentLog,
  config: loadConfig({ SATCHEL_DATA_DIR: '/nonexistent' }),
  keyring: ephemeralKeys().keyring,
});

beforeAll(async () => {
  database = await openTestDatabase();
  queue = new JobQueue(database, [purgeExpiredCredentials, recordingJob], { work: true, ...queueOptions() });
  await queue.start();
});

afterAll(async () => {
  await queue.stop();
  await database.close();
});

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('job queue', () => {
  it('declares each queue with its policy and an installation-wide schedule', async () => {
    const declared = await queue.boss.getQueue('auth.purge-expired');
    expect(declared?.policy).toBe('singleton');
    const schedules = await queue.boss.getSchedules('auth.purge-expired');
    expect(schedules.map((schedule) => schedule.cron)).toEqual(['17 * * * *']);
  });

  it('runs the expired-credential purge against the database', async () => {
    const district = await createDistrict(database);
    const base = { district_id: district.id, user_id: district.admin.id, ip: null, user_agent: null };
    await database.db
      .insertInto('sessions')
      .values([
        {
          ...base,
          token_hash: 'a'.repeat(64),
          last_seen_at: new Date(),
          expires_at: new Date(Date.now() - 1000),
        },
        {
          ...base,
          token_hash: 'b'.repeat(64),
          last_seen_at: new Date(Date.now() - 3600_000),
          expires_at: new Date(Date.now() + 3600_000),
        },
        {
          ...base,
          token_hash: 'c'.repeat(64),
          last_seen_at: new Date(),
          expires_at: new Date(Date.now() + 3600_000),
        },
      ])
      .execute();
    await queue.send('auth.purge-expired', {});
    await eventually(async () => {
      const left = await database.db
        .selectFrom('sessions')
        .select('token_hash')
        .where('user_id', '=', district.admin.id)
        .execute();
      return left.length === 1 && left[0]?.token_hash === 'c'.repeat(64);
    });
  });

  it('enqueues inside a transaction: a rolled-back transaction leaves no job', async () => {
    await database.db
      .transaction()
      .execute(async (trx) => {
        await queue.send('test.record', { label: 'rolled back' }, {}, trx);
        throw new Error('abort');
      })
      .catch(() => {});
    await database.db.transaction().execute(async (trx) => {
      await queue.send('test.record', { label: 'committed' }, {}, trx);
    });
    await eventually(() => seen.includes('committed'));
    const queued = await queue.boss.findJobs('test.record');
    expect(queued.map((job) => (job.data as { label: string }).label)).toEqual(['committed']);
    expect(seen).not.toContain('rolled back');
  });

  it('a slot that has finished a job takes the next waiting one at once, not at its next poll', async () => {
    // Queued before any worker is up, so that only the worker's first poll (at its start) can find one.
    const sender = new JobQueue(database, [chainedJob], { work: false, ...queueOptions() });
    await sender.start();
    for (const n of [1, 2, 3]) await sender.send('test.chained', { n });
    const worker = new JobQueue(database, [chainedJob], { work: true, ...queueOptions() });
    await worker.start();
    try {
      // Its first poll finds the first job; waiting out the 30 s interval between jobs would fail this.
      await eventually(() => chainedRuns.length === 3, 15_000);
      expect(chainedRuns.sort()).toEqual([1, 2, 3]);
    } finally {
      await worker.stop();
      await sender.stop();
    }
  });

  it('tells whether a job of a higher priority is running anywhere', async () => {
    holdJobs();
    const worker = new JobQueue(database, [heldJob], { work: true, ...queueOptions() });
    await worker.start();
    try {
      expect(await worker.running('test.held', -20)).toBe(false);
      await worker.send('test.held', { n: 1 }, { priority: -5 });
      await eventually(() => startedHeld.length === 1);
      expect(await worker.running('test.held', -6)).toBe(true);
      expect(await worker.running('test.held', -5)).toBe(false);
      expect(await queue.running('test.record', -6)).toBe(false);
    } finally {
      releaseHeld();
      await worker.stop();
    }
  });

  it('keeps reserved slots for urgent jobs: long low-priority jobs never fill every slot', async () => {
    holdJobs();
    const worker = new JobQueue(database, [slottedJob], { work: true, ...queueOptions() });
    await worker.start();
    try {
      await worker.send('test.slotted', { label: 'large 1' }, { priority: -15 });
      await worker.send('test.slotted', { label: 'large 2' }, { priority: -15 });
      await eventually(() => startedSlotted.length === 1);
      // The second large job waits although a slot is free: that slot is kept for small ones.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(startedSlotted).toEqual(['large 1']);
      expect((await worker.health(['test.slotted'])).queues['test.slotted']).toEqual({
        queued: 1,
        active: 1,
      });
      await worker.send('test.slotted', { label: 'small' }, { priority: -10 });
      await eventually(() => startedSlotted.length === 2);
      expect(startedSlotted).toEqual(['large 1', 'small']);
      // Once the large one is done, its slot takes the other waiting large job.
      releaseHeld();
      await eventually(() => startedSlotted.length === 3);
      expect(startedSlotted[2]).toBe('large 2');
    } finally {
      releaseHeld();
      await worker.stop();
    }
  });

  it('counts waiting and running jobs as they are now, not as of its last monitoring pass', async () => {
    holdJobs();
    const started = startedHeld.length;
    const worker = new JobQueue(database, [heldJob], { work: true, ...queueOptions() });
    await worker.start();
    try {
      await worker.send('test.held', { n: 1 });
      await eventually(() => startedHeld.length === started + 1);
      await worker.send('test.held', { n: 2 }, { singletonKey: 'another' });
      expect((await worker.health(['test.held'])).queues['test.held']).toEqual({ queued: 1, active: 1 });
      releaseHeld();
      await eventually(async () => {
        const { queued, active } = (await worker.health(['test.held'])).queues['test.held']!;
        return queued === 0 && active === 0;
      });
    } finally {
      releaseHeld();
      await worker.stop();
    }
  });
});

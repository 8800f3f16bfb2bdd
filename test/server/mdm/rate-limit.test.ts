import { describe, expect, it } from 'vitest';
import { SharedRateLimiter } from '../../../src/server/mdm/sync/rate-limit.ts';
import { withTestApp } from '../../setup/app.ts';
import { busiestWindow, runLimiterWorker } from '../../setup/limiter.ts';

const testApp = withTestApp();

describe('the shared provider rate limiter', () => {
  it('lets requests through at the configured rate after a small burst', async () => {
    // 1,200 a minute: 20 a second, a bucket of 5.
    const limiter = new SharedRateLimiter(testApp().database.db, 'paced', 1200);
    const signal = AbortSignal.timeout(10_000);
    const times: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 45; i++) {
      await limiter.acquire(signal);
      times.push(Date.now());
    }
    // 5 at once, then 40 more at 20 a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(20 + 5);
  });

  it('holds every request back after a rate limit, for as long as the provider asked', async () => {
    const limiter = new SharedRateLimiter(testApp().database.db, 'paused', 6000);
    const signal = AbortSignal.timeout(10_000);
    await limiter.acquire(signal);
    const other = new SharedRateLimiter(testApp().database.db, 'paused', 6000);
    const paused = Date.now();
    await other.slowDown(700);
    await limiter.acquire(signal);
    expect(Date.now() - paused).toBeGreaterThanOrEqual(650);
  });

  it('makes a new bucket once when a run asks for its first turns at once', async () => {
    const { db } = testApp().database;
    // 600 a minute: 10 a second, a bucket of 2. Five at once: two now, the rest as tokens come back.
    const limiter = new SharedRateLimiter(db, 'fresh', 600);
    const signal = AbortSignal.timeout(10_000);
    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => limiter.acquire(signal)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const bucket = await db
      .selectFrom('provider_rate_limits')
      .select('tokens')
      .where('provider', '=', 'fresh')
      .execute();
    expect(bucket).toHaveLength(1);
    expect(bucket[0]!.tokens).toBeLessThan(1);
  });

  it('paces a later run in the same process too, even after its bucket was removed', async () => {
    const { db } = testApp().database;
    const first = new SharedRateLimiter(db, 'rebuilt', 600);
    const signal = AbortSignal.timeout(10_000);
    await first.acquire(signal);
    await db.deleteFrom('provider_rate_limits').where('provider', '=', 'rebuilt').execute();
    // 600 a minute: 10 a second, a bucket of 2. A later run's limiter makes the bucket again and waits for it.
    const later = new SharedRateLimiter(db, 'rebuilt', 600);
    const started = Date.now();
    for (let i = 0; i < 7; i++) await later.acquire(signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(
      await db
        .selectFrom('provider_rate_limits')
        .select('provider')
        .where('provider', '=', 'rebuilt')
        .execute(),
    ).toHaveLength(1);
  });

  it('holds the aggregate rate of two processes within the limit, and a rate limit one hears holds both', async (context) => {
    const url = testApp().database.url;
    // Two processes need a database server; the embedded one belongs to one process.
    if (!url) context.skip();
    const perMinute = 1200;
    const run = () => runLimiterWorker({ databaseUrl: url!, provider: 'shared', perMinute, seconds: 4 });
    const both = Promise.all([run(), run()]);
    // Two seconds in, a third party hears "too many requests" and asks for a second's pause.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // The pause holds from when it is written (by the time slowDown returns) until a second after it was asked
    // for: on a busy machine the write itself can take a while.
    const askedAt = Date.now();
    await new SharedRateLimiter(testApp().database.db!, 'shared', perMinute).slowDown(1000);
    const pausedAt = Date.now();
    const [first, second] = await both;
    const all = [...first, ...second].sort((a, b) => a - b);
    // Each got a share, and together they kept to 20 a second (plus the bucket of 5).
    expect(first.length).toBeGreaterThan(10);
    expect(second.length).toBeGreaterThan(10);
    expect(busiestWindow(all, 1000)).toBeLessThanOrEqual(25);
    expect(all.length).toBeLessThanOrEqual(Math.ceil(((all.at(-1)! - all[0]!) / 1000) * 20) + 5);
    // Nothing went out during the pause, from either process (a grant in flight as it began may land).
    const during = all.filter((time) => time > pausedAt + 100 && time < askedAt + 950);
    expect(during).toEqual([]);
  }, 30_000);
});

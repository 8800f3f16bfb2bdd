import { openPostgres } from '../../src/server/db/connect.ts';
import { SharedRateLimiter } from '../../src/server/mdm/sync/rate-limit.ts';

/**
 * One process taking requests from the shared limiter as fast as it lets it, for LIMITER_SECONDS, with
 * LIMITER_CONCURRENCY takers at once (default 1, as many as a worker's runs); prints the times (ms since the
 * epoch) they were let through as JSON.
 */
const env = process.env;
const concurrency = Number(env.LIMITER_CONCURRENCY ?? 1);
const database = openPostgres(env.LIMITER_DATABASE_URL!, Math.min(concurrency + 1, 10));
const limiter = new SharedRateLimiter(database.db, env.LIMITER_PROVIDER!, Number(env.LIMITER_PER_MINUTE));
const until = Date.now() + Number(env.LIMITER_SECONDS) * 1000;
const granted: number[] = [];
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) {
      await limiter.acquire(AbortSignal.timeout(until - Date.now() + 5000));
      granted.push(Date.now());
    }
  }),
);
await database.close();
process.stdout.write(JSON.stringify(granted.sort((a, b) => a - b)));

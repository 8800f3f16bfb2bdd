import { spawn } from 'node:child_process';
import path from 'node:path';

const WORKER = path.resolve(import.meta.dirname, 'limiter-worker.ts');

/** Settings of one limiter-worker process (see limiter-worker.ts). */
export interface LimiterWorkerSettings {
  databaseUrl: string;
  provider: string;
  perMinute: number;
  seconds: number;
  concurrency?: number;
}

/** Runs limiter-worker.ts in a process of its own; resolves with the times its takers were let through. */
export function runLimiterWorker(settings: LimiterWorkerSettings): Promise<number[]> {
  return new Promise<number[]>((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER], {
      env: {
        ...process.env,
        LIMITER_DATABASE_URL: settings.databaseUrl,
        LIMITER_PROVIDER: settings.provider,
        LIMITER_PER_MINUTE: String(settings.perMinute),
        LIMITER_SECONDS: String(settings.seconds),
        LIMITER_CONCURRENCY: String(settings.concurrency ?? 1),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(output) as number[])
        : reject(new Error(`limiter worker exited with ${code}`)),
    );
  });
}

/** Most grants seen in any window of `ms`, over one sorted list of grant times. */
export function busiestWindow(times: number[], ms: number): number {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= ms) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

import { spawn } from 'node:child_process';
import path from 'node:path';
import { control, profileArgs } from '../targets.ts';
import type { RunningFake } from './adapter.ts';

/**
 * Starts a fake as `npm run fake -- <name> …args` does, in a process of its own, and resolves once its
 * command line has printed `lastLine` (the name of the last `NAME=value` line it prints), with every such
 * line. `origin` picks the control routes' origin out of them; `environment` the lines meant for Satchel's
 * configuration.
 */
export async function startFakeProcess(
  name: string,
  args: string[],
  expect: {
    lastLine: string;
    origin: (printed: Record<string, string>) => string;
    environment: (printed: Record<string, string>) => Record<string, string>;
  },
): Promise<RunningFake> {
  const child = spawn(
    process.execPath,
    // `--expose-gc` lets the fake settle between runs (`collect-garbage`).
    ['--expose-gc', ...profileArgs(), path.resolve(import.meta.dirname, '../../fakes/run.ts'), name, ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const output = await new Promise<string>((resolve, reject) => {
    let text = '';
    const ready = new RegExp(`^${expect.lastLine}=\\S+$`, 'm');
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (ready.test(text)) resolve(text);
    });
    child.once('exit', (code) => reject(new Error(`the fake ${name} exited with ${code}:\n${text}`)));
  });
  const printed = Object.fromEntries(
    [...output.matchAll(/^([A-Z][A-Z0-9_]*)=(\S+)$/gm)].map((match) => [match[1]!, match[2]!]),
  );
  return {
    origin: expect.origin(printed),
    environment: expect.environment(printed),
    printed,
    stop: () => child.kill('SIGTERM'),
  };
}

/** `GET /__fake/stats`, for fakes that count their API requests and the time they spent on them. */
export async function fakeStats(fakeOrigin: string): Promise<{ apiRequests: number; serviceMs: number }> {
  const { apiRequests, serviceMs } = await control(fakeOrigin, 'stats');
  return { apiRequests: Number(apiRequests), serviceMs: Number(serviceMs) };
}

/** `POST /__fake/collect-garbage`, for fakes that collect their garbage when asked. */
export async function collectFakeGarbage(fakeOrigin: string): Promise<void> {
  await control(fakeOrigin, 'collect-garbage', {});
}

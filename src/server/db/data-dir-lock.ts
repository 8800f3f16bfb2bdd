import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeOwnerOnlyDirectory } from './owner-only.ts';

export interface DataDirLock {
  release(): Promise<void>;
}

export type LockResult = { acquired: true; lock: DataDirLock } | { acquired: false; heldBy: number };

/**
 * Embedded PostgreSQL can be opened by one process at a time. The pid file tells a second process who has
 * it, so the CLI can talk to that process instead of opening (and damaging) the database.
 */
export async function lockDataDir(dataDir: string): Promise<LockResult> {
  await makeOwnerOnlyDirectory(dataDir);
  const lockFile = path.join(dataDir, 'satchel.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockFile, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return { acquired: true, lock: { release: () => rm(lockFile, { force: true }) } };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        return { acquired: false, heldBy: holder };
      }
      await rm(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

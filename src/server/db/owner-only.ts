import { chmod, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Creates the data directory readable by its owner alone (it holds the database and the secret key). */
export async function makeOwnerOnlyDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await chmod(directory, 0o700);
}

/**
 * Takes group and other access off everything under `directory`. The embedded database sets its files to
 * 0666 itself, whatever the process's umask, so its files are restricted after it opens and when it closes;
 * between the two, the directory's own 0700 keeps other users out of the files it creates.
 */
export async function restrictToOwner(directory: string): Promise<void> {
  await chmod(directory, 0o700);
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory()) await chmod(file, 0o700);
    else if (entry.isFile()) await chmod(file, 0o600);
  }
}

import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { makeOwnerOnlyDirectory } from '../../db/owner-only.ts';
import { Invalid } from '../../errors.ts';
import { MAX_CSV_BYTES } from '../csv/read-csv.ts';

export interface SpooledUpload {
  file: string;
  bytes: number;
  remove(): Promise<void>;
}

/**
 * Writes an uploaded CSV to an owner-only file as it arrives, so a file of any size costs the server disk,
 * not memory, and the request ends as soon as the upload does. Past the size limit it stops with a 400.
 */
export async function spoolUpload(body: Readable, uploadDir: string): Promise<SpooledUpload> {
  await makeOwnerOnlyDirectory(uploadDir);
  const file = path.join(uploadDir, `${randomUUID()}.csv`);
  const remove = () => rm(file, { force: true });
  let bytes = 0;
  const bounded = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > MAX_CSV_BYTES) {
        callback(
          new Invalid(
            `The file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB; split it and import the parts`,
          ),
        );
      } else callback(null, chunk);
    },
  });
  try {
    await pipeline(body, bounded, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await remove();
    throw error;
  }
  return { file, bytes, remove };
}

import { createReadStream } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import type { Kysely } from 'kysely';
import type { ImportResult } from '../../../common/inventory.ts';
import type { RequestContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { ImportOptions } from '../csv/import-runner.ts';
import { finishImport, type ImportRow, markImportRunning, recordImportProgress } from './queries.ts';
import type { SpooledUpload } from './upload.ts';

/** Imports one process runs at once; more wait their turn, so a burst of uploads never adds up in memory. */
const RUNNING_AT_ONCE = 2;
/** How often a running import writes its progress where every process can read it. */
const PROGRESS_INTERVAL_MS = 1000;

/** Reads one kind of CSV (devices, people) into the inventory. */
export type Importer = (
  ctx: RequestContext,
  db: Kysely<DB>,
  csv: Readable,
  options: ImportOptions,
) => Promise<ImportResult>;

interface BackgroundDeps {
  db: Kysely<DB>;
  importer: Importer;
}

/**
 * The imports this process runs, with their progress: fresher than their rows, and readable while a real
 * import's transaction holds the embedded database's one connection.
 */
const live = new Map<string, { row: ImportRow; readBytes: number; rows: number }>();
const waiting: (() => Promise<void>)[] = [];
let running = 0;

/** An import this process runs (or has waiting), with its progress; undefined for any other. */
export function liveImport(id: string): { row: ImportRow; readBytes: number; rows: number } | undefined {
  return live.get(id);
}

/**
 * Imports an uploaded file after its request has been answered, in this process (the file is on its disk), at
 * most two at a time; the row records its progress and outcome, and the file is deleted after.
 */
export function runInBackground(
  ctx: RequestContext,
  deps: BackgroundDeps,
  row: ImportRow,
  upload: SpooledUpload,
): void {
  live.set(row.id, { row, readBytes: 0, rows: 0 });
  waiting.push(() => importInBackground(ctx, deps, row, upload));
  startWaiting();
}

function startWaiting(): void {
  while (running < RUNNING_AT_ONCE && waiting.length > 0) {
    const task = waiting.shift() as () => Promise<void>;
    running++;
    void task().finally(() => {
      running--;
      startWaiting();
    });
  }
}

async function importInBackground(
  ctx: RequestContext,
  deps: BackgroundDeps,
  row: ImportRow,
  upload: SpooledUpload,
): Promise<void> {
  const progress = live.get(row.id) ?? { row, readBytes: 0, rows: 0 };
  let writing: Promise<void> | undefined;
  let lastWrite = 0;
  // Written at most once a second and never awaited: inside a real import's transaction the embedded
  // database runs one statement at a time, and the import must not wait on its own progress.
  const report = () => {
    if (writing || Date.now() - lastWrite < PROGRESS_INTERVAL_MS) return;
    lastWrite = Date.now();
    writing = recordImportProgress(deps.db, row.id, progress)
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'import progress not recorded'))
      .finally(() => {
        writing = undefined;
      });
  };
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      progress.readBytes += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await markImportRunning(deps.db, row.id);
    progress.row = { ...row, state: 'running' };
    const csv = createReadStream(upload.file).pipe(counted);
    const result = await deps.importer(ctx, deps.db, csv, {
      dryRun: row.dry_run,
      skipInvalid: row.skip_invalid,
      onProgress: (rows) => {
        progress.rows = rows;
        report();
      },
    });
    await writing;
    await finishImport(deps.db, row.id, { result, readBytes: progress.readBytes });
  } catch (error) {
    await writing;
    const known = error instanceof AppError;
    if (!known) ctx.log.error({ err: error, importId: row.id }, 'import failed');
    const failure = known
      ? {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
        }
      : {
          code: 'internal',
          message: 'The import stopped on a server error; nothing was written. Try again.',
        };
    await finishImport(deps.db, row.id, { error: failure, readBytes: progress.readBytes }).catch(
      (finishError: unknown) =>
        ctx.log.error({ err: finishError, importId: row.id }, 'import outcome not recorded'),
    );
  } finally {
    live.delete(row.id);
    await upload.remove();
  }
}

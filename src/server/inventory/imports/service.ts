import { createReadStream } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import type { Kysely } from 'kysely';
import type { ImportJob, ImportResult } from '../../../common/inventory.ts';
import type { Config } from '../../config.ts';
import type { RequestContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { AppError, NotFound } from '../../errors.ts';
import type { ImportOptions } from '../csv/import-runner.ts';
import { checkCsvHeader } from '../csv/read-csv.ts';
import { devicePlan, importDevices } from '../device-import.ts';
import { importPeople, peoplePlan } from '../people-import.ts';
import {
  findImport,
  finishImport,
  type ImportRow,
  insertImport,
  listRecentImports,
  markImportRunning,
  recordImportProgress,
} from './queries.ts';
import { type SpooledUpload, spoolUpload } from './upload.ts';

export type ImportTarget = ImportJob['target'];

export interface ImportRequest {
  dryRun: boolean;
  skipInvalid: boolean;
  /** Always run in the background, whatever the file's size. */
  background: boolean;
}

/** Files up to this size are imported within their request, as they always were; larger ones in the background. */
export const INLINE_IMPORT_BYTES = 1024 * 1024;
/** Imports one process runs at once; more wait their turn, so a burst of uploads never adds up in memory. */
const RUNNING_AT_ONCE = 2;
/** How often a running import writes its progress where every process can read it. */
const PROGRESS_INTERVAL_MS = 1000;
/** An import not heard from for this long was running in a process that stopped. */
const SILENT_FOR_MS = 5 * 60_000;

interface ImportDeps {
  db: Kysely<DB>;
  config: Config;
}

const importers: Record<
  ImportTarget,
  (ctx: RequestContext, db: Kysely<DB>, csv: Readable, options: ImportOptions) => Promise<ImportResult>
> = { devices: importDevices, people: importPeople };
const plans = { devices: devicePlan, people: peoplePlan };

/**
 * The imports this process runs, with their progress: fresher than their rows, and readable while a real
 * import's transaction holds the embedded database's one connection.
 */
const live = new Map<string, { row: ImportRow; readBytes: number; rows: number }>();
const waiting: (() => Promise<void>)[] = [];
let running = 0;

/**
 * Receives a CSV upload onto disk, then imports it: within the request for a small file (the answer is the
 * result), in the background otherwise or when asked (the answer is the import to follow).
 */
export async function receiveImport(
  ctx: RequestContext,
  deps: ImportDeps,
  target: ImportTarget,
  body: Readable,
  request: ImportRequest,
): Promise<{ result: ImportResult } | { job: ImportJob }> {
  const upload = await spoolUpload(body, deps.config.uploadDir);
  const options = { dryRun: request.dryRun, skipInvalid: request.skipInvalid };
  if (!request.background && upload.bytes <= INLINE_IMPORT_BYTES) {
    try {
      return { result: await importers[target](ctx, deps.db, createReadStream(upload.file), options) };
    } finally {
      await upload.remove();
    }
  }
  let row: ImportRow;
  try {
    await checkCsvHeader(createReadStream(upload.file), plans[target](ctx));
    row = await insertImport(deps.db, {
      district_id: ctx.districtId,
      user_id: ctx.userId,
      target,
      dry_run: request.dryRun,
      skip_invalid: request.skipInvalid,
      total_bytes: upload.bytes,
    });
  } catch (error) {
    await upload.remove();
    throw error;
  }
  live.set(row.id, { row, readBytes: 0, rows: 0 });
  waiting.push(() => runInBackground(ctx, deps, row, upload));
  startWaiting();
  return { job: toImportJob(row) };
}

export async function getImport(ctx: RequestContext, db: Kysely<DB>, id: string): Promise<ImportJob> {
  const inProcess = live.get(id)?.row;
  const row =
    inProcess?.district_id === ctx.districtId ? inProcess : await findImport(db, ctx.districtId, id);
  if (!row) throw new NotFound('Import');
  return toImportJob(row);
}

/** The district's latest imports, newest first: how the web app finds one still running when it comes back. */
export async function listImports(ctx: RequestContext, db: Kysely<DB>): Promise<ImportJob[]> {
  return (await listRecentImports(db, ctx.districtId, 20)).map(toImportJob);
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

async function runInBackground(
  ctx: RequestContext,
  deps: ImportDeps,
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
    const result = await importers[row.target](ctx, deps.db, csv, {
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

function toImportJob(row: ImportRow): ImportJob {
  const inProcess = live.get(row.id);
  const unfinished = row.state === 'queued' || row.state === 'running';
  const silent = unfinished && !inProcess && Date.now() - row.updated_at.getTime() > SILENT_FOR_MS;
  return {
    id: row.id,
    target: row.target,
    dryRun: row.dry_run,
    skipInvalid: row.skip_invalid,
    state: silent ? 'failed' : row.state,
    readBytes: inProcess?.readBytes ?? Number(row.read_bytes),
    totalBytes: Number(row.total_bytes),
    rows: inProcess?.rows ?? row.rows,
    result: (row.result as ImportResult | null) ?? null,
    error: silent
      ? {
          code: 'internal',
          message: 'The server stopped while this import ran; nothing was written. Import the file again.',
        }
      : ((row.error as ImportJob['error']) ?? null),
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { ImportJob, ImportResult } from '../../../common/inventory.ts';
import type { Config } from '../../config.ts';
import type { RequestContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { NotFound } from '../../errors.ts';
import { checkCsvHeader } from '../csv/read-csv.ts';
import { devicePlan, importDevices } from '../device-import.ts';
import { importPeople, peoplePlan } from '../people-import.ts';
import { type Importer, liveImport, runInBackground } from './background.ts';
import { findImport, type ImportRow, insertImport, listRecentImports } from './queries.ts';
import { spoolUpload } from './upload.ts';

export type ImportTarget = ImportJob['target'];

export interface ImportRequest {
  dryRun: boolean;
  skipInvalid: boolean;
  /** Always run in the background, whatever the file's size. */
  background: boolean;
}

/** Files up to this size are imported within their request, as they always were; larger ones in the background. */
export const INLINE_IMPORT_BYTES = 1024 * 1024;
/** An import not heard from for this long was running in a process that stopped. */
const SILENT_FOR_MS = 5 * 60_000;

export interface ImportDeps {
  db: Kysely<DB>;
  config: Config;
}

const importers: Record<ImportTarget, Importer> = { devices: importDevices, people: importPeople };
const plans = { devices: devicePlan, people: peoplePlan };

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
  runInBackground(ctx, { ...deps, importer: importers[target] }, row, upload);
  return { job: toImportJob(row) };
}

export async function getImport(ctx: RequestContext, db: Kysely<DB>, id: string): Promise<ImportJob> {
  const inProcess = liveImport(id)?.row;
  const row =
    inProcess?.district_id === ctx.districtId ? inProcess : await findImport(db, ctx.districtId, id);
  if (!row) throw new NotFound('Import');
  return toImportJob(row);
}

/** The district's latest imports, newest first: how the web app finds one still running when it comes back. */
export async function listImports(ctx: RequestContext, db: Kysely<DB>): Promise<ImportJob[]> {
  return (await listRecentImports(db, ctx.districtId, 20)).map(toImportJob);
}

function toImportJob(row: ImportRow): ImportJob {
  const inProcess = liveImport(row.id);
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

import type { ErrorCode } from '../../common/errors.ts';
import type { ImportJob, ImportJobList, ImportResult } from '../../common/inventory.ts';
import { ApiError, api, apiUpload } from './client.ts';

/** What a CSV import applies to; each has its own endpoint and columns. */
export type ImportTarget = 'devices' | 'people';

export interface ImportOptions {
  dryRun: boolean;
  skipInvalid: boolean;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/**
 * Uploads a CSV file to `/devices/import` or `/people/import`, to be checked (a dry run) or imported in the
 * background: the answer is the import to follow with `followImport`, which goes on if the page is left.
 */
export function uploadImport(target: ImportTarget, file: Blob, options: ImportOptions): Promise<ImportJob> {
  return apiUpload<ImportJob>(`/${target}/import`, {
    body: file,
    contentType: 'text/csv',
    query: { dryRun: options.dryRun, skipInvalid: options.skipInvalid, background: true },
    signal: options.signal,
    onProgress: options.onProgress,
  });
}

/** The district's latest imports, newest first. */
export async function recentImports(): Promise<ImportJob[]> {
  return (await api<ImportJobList>('/imports')).imports;
}

const POLL_MS = 1000;

/**
 * Asks after an import once a second until it has finished, telling `onUpdate` each time; resolves with its
 * result, or rejects with its error (a file that could not be read) as an API error would.
 */
export async function followImport(
  job: ImportJob,
  options: { signal: AbortSignal; onUpdate: (job: ImportJob) => void },
): Promise<ImportResult> {
  let current = job;
  while (current.state === 'queued' || current.state === 'running') {
    options.onUpdate(current);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (options.signal.aborted) throw new DOMException('Stopped following the import', 'AbortError');
    current = await api<ImportJob>(`/imports/${job.id}`);
  }
  options.onUpdate(current);
  if (current.state === 'failed' || !current.result) {
    const error = current.error ?? { code: 'internal', message: 'The import did not finish' };
    throw new ApiError(400, error.code as ErrorCode, error.message, error.details);
  }
  return current.result;
}

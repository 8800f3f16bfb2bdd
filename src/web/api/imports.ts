import type { ImportResult } from '../../common/inventory.ts';
import { apiUpload } from './client.ts';

/** What a CSV import applies to; each has its own endpoint and columns. */
export type ImportTarget = 'devices' | 'people';

export interface ImportOptions {
  dryRun: boolean;
  skipInvalid: boolean;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** Uploads a CSV file to `/devices/import` or `/people/import`; a dry run only reports what would happen. */
export function uploadImport(
  target: ImportTarget,
  file: Blob,
  options: ImportOptions,
): Promise<ImportResult> {
  return apiUpload<ImportResult>(`/${target}/import`, {
    body: file,
    contentType: 'text/csv',
    query: { dryRun: options.dryRun, skipInvalid: options.skipInvalid },
    signal: options.signal,
    onProgress: options.onProgress,
  });
}

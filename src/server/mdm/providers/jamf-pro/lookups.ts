import { z } from 'zod';
import type { FetchedPage, ProviderDeps, SyncRequest } from '../../provider.ts';
import type { ApiClient } from './api-client.ts';
import { fetchedPage, type PageAnswer, readInventories } from './inventory-reads.ts';
import { type DeviceKind, INVENTORIES, inventoryOf, MAX_PAGE_SIZE } from './kinds.ts';
import { askableSerials, lookupEnd, serialFilter } from './lookup-chunks.ts';

/**
 * Where a pass of lookups stands: the lookup that starts at `start`, the page of its matches, and the
 * inventories that still have that page (both, when left out).
 */
const LookupCursor = z.object({
  start: z.number().int().min(0),
  page: z.number().int().min(0),
  kinds: z.array(z.enum(['computer', 'mobileDevice'])).optional(),
});
type LookupCursor = z.infer<typeof LookupCursor>;

/** The serials lookups can name, worked out once per run rather than once per page. */
const askableByRun = new WeakMap<readonly string[], readonly string[]>();
function askableOf(tracked: readonly string[]): readonly string[] {
  let askable = askableByRun.get(tracked);
  if (!askable) {
    askable = askableSerials(tracked);
    askableByRun.set(tracked, askable);
  }
  return askable;
}

/** Re-enrolled devices leave records behind: the inventories with more matches than a page read on. */
function withMorePages(answers: readonly PageAnswer[]): DeviceKind[] {
  return answers
    .filter((answer) => (answer.page + 1) * MAX_PAGE_SIZE < answer.totalCount)
    .map((answer) => answer.endpoint.kind);
}

/**
 * One lookup: the tracked serials that fit one request target, asked of both inventories at once with RSQL
 * `=in=`. Only devices whose serial key is exactly one asked for are kept (Jamf may compare without case).
 */
export async function lookupPage(
  deps: ProviderDeps,
  client: ApiClient,
  request: SyncRequest,
): Promise<FetchedPage> {
  const serials = askableOf(request.trackedSerialKeys);
  const cursor = request.cursor ? LookupCursor.parse(JSON.parse(request.cursor)) : { start: 0, page: 0 };
  if (cursor.start >= serials.length) return { devices: [], cursor: null, apiCalls: 0, retries: 0 };
  const end = lookupEnd(client.baseUrl, serials, cursor.start);
  const chunk = serials.slice(cursor.start, end);
  const endpoints = cursor.kinds?.map(inventoryOf) ?? INVENTORIES;
  const { answers, tally } = await readInventories(deps, client, {
    requests: endpoints.map((endpoint) => ({ endpoint, page: cursor.page })),
    pageSize: MAX_PAGE_SIZE,
    filterFor: (endpoint) => serialFilter(endpoint, chunk),
    signal: request.signal,
  });
  const more = withMorePages(answers);
  const next: LookupCursor | null =
    more.length > 0
      ? { start: cursor.start, page: cursor.page + 1, kinds: more }
      : end < serials.length
        ? { start: end, page: 0 }
        : null;
  const wanted = new Set(chunk);
  return fetchedPage(answers, tally, next && JSON.stringify(next), (device) => wanted.has(device.serialKey));
}

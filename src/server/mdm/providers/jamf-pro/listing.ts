import { z } from 'zod';
import type { FetchedPage, ProviderDeps, SyncRequest } from '../../provider.ts';
import type { ApiClient } from './api-client.ts';
import { fetchedPage, type PageAnswer, type PageRequest, readInventories } from './inventory-reads.ts';
import { INVENTORIES, MAX_PAGE_SIZE } from './kinds.ts';

/**
 * Where a listing stands: the next page of each inventory (null once it is read to the end), and each
 * inventory's total as last answered, which says how far it goes.
 */
const ListingCursor = z.object({
  computer: z.number().int().min(0).nullable(),
  mobileDevice: z.number().int().min(0).nullable(),
  totals: z.partialRecord(z.enum(['computer', 'mobileDevice']), z.number().int().min(0)),
});
type ListingCursor = z.infer<typeof ListingCursor>;

const START: ListingCursor = { computer: 0, mobileDevice: 0, totals: {} };

/**
 * Two pages go out at once: the next of each inventory, or, once one is read to the end, the next two of the
 * other (districts hold far more of one kind than of the other), so a listing takes as few round trips as
 * its pages allow.
 */
function nextRequests(cursor: ListingCursor): PageRequest[] {
  const left = INVENTORIES.filter((endpoint) => cursor[endpoint.kind] !== null);
  const [only] = left;
  if (left.length !== 1 || !only)
    return left.map((endpoint) => ({ endpoint, page: cursor[endpoint.kind] ?? 0 }));
  const page = cursor[only.kind] as number;
  const total = cursor.totals[only.kind];
  const second = total !== undefined && (page + 1) * MAX_PAGE_SIZE < total;
  return second
    ? [
        { endpoint: only, page },
        { endpoint: only, page: page + 1 },
      ]
    : [{ endpoint: only, page }];
}

/** Each inventory read goes on after its last page read, while its total says there is more. */
function advance(cursor: ListingCursor, answers: readonly PageAnswer[]): ListingCursor {
  const next: ListingCursor = { ...cursor, totals: { ...cursor.totals } };
  for (const kind of ['computer', 'mobileDevice'] as const) {
    const read = answers.filter((answer) => answer.endpoint.kind === kind);
    const last = read.at(-1);
    if (!last) continue;
    next.totals[kind] = last.totalCount;
    next[kind] = (last.page + 1) * MAX_PAGE_SIZE < last.totalCount ? last.page + 1 : null;
  }
  return next;
}

/** One page of the listing of every computer and mobile device. */
export async function listingPage(
  deps: ProviderDeps,
  client: ApiClient,
  request: SyncRequest,
): Promise<FetchedPage> {
  const cursor = request.cursor ? ListingCursor.parse(JSON.parse(request.cursor)) : START;
  const { answers, tally } = await readInventories(deps, client, {
    requests: nextRequests(cursor),
    pageSize: MAX_PAGE_SIZE,
    filterFor: () => null,
    signal: request.signal,
  });
  const next = advance(cursor, answers);
  const done = next.computer === null && next.mobileDevice === null;
  return fetchedPage(answers, tally, done ? null : JSON.stringify(next));
}

import { z } from 'zod';
import { withRetries } from '../../http/retry.ts';
import type {
  FetchedPage,
  PlanInput,
  ProviderDeps,
  ProviderDevice,
  ProviderSettings,
  StrategyEstimate,
  SyncRequest,
} from '../../provider.ts';
import { classifyJamfFailure } from './answers.ts';
import { type ApiClient, clientFor } from './api-client.ts';
import { devicesOf, type InventoryAnswer, inventoryAnswer } from './inventory-page.ts';
import { getInventory, newTally, type RequestTally } from './inventory-request.ts';
import {
  type DeviceKind,
  INVENTORIES,
  type InventoryEndpoint,
  inventoryOf,
  inventoryUrl,
  MAX_PAGE_SIZE,
} from './kinds.ts';
import { askableSerials, ESTIMATED_SERIALS_PER_LOOKUP, lookupEnd, serialFilter } from './lookup-chunks.ts';
import { adoptToken, HeldToken, heldToken, tokenFor } from './tokens.ts';

export const SERIAL_LOOKUP = 'serial_lookup';
export const FULL_LISTING = 'full_listing';

/** Both inventories are asked every time: a lookup costs two requests, a count two. */
const PER_LOOKUP_CALLS = INVENTORIES.length;
export const COUNT_CALLS = INVENTORIES.length;

/**
 * A listing reads both inventories a full page at a time; their pages together take at most one request more
 * than the fleet in full pages.
 */
function listingCalls(fleetSize: number): number {
  return Math.max(1, Math.ceil(fleetSize / MAX_PAGE_SIZE)) + 1;
}

export function estimates({ trackedCount, fleetSize }: PlanInput): StrategyEstimate[] {
  const options: StrategyEstimate[] = [
    {
      strategy: SERIAL_LOOKUP,
      apiCalls: PER_LOOKUP_CALLS * Math.ceil(trackedCount / ESTIMATED_SERIALS_PER_LOOKUP),
      complete: true,
      targeted: true,
    },
  ];
  if (fleetSize !== null)
    options.push({
      strategy: FULL_LISTING,
      apiCalls: listingCalls(fleetSize),
      complete: true,
      targeted: false,
    });
  return options;
}

/**
 * Where a pass stands: the lookup that starts at `start` (lookups only), the page within it or within the
 * listing, and the inventories that still have that page (both, when left out).
 */
const PassCursor = z.object({
  start: z.number().int().min(0).optional(),
  page: z.number().int().min(0),
  kinds: z.array(z.enum(['computer', 'mobileDevice'])).optional(),
});
type PassCursor = z.infer<typeof PassCursor>;

function readCursor(cursor: string | null): PassCursor {
  return cursor === null ? { page: 0 } : PassCursor.parse(JSON.parse(cursor));
}

function writeCursor(cursor: PassCursor | null): string | null {
  return cursor === null ? null : JSON.stringify(cursor);
}

/** The inventories the cursor still reads at its page. */
function endpointsOf(cursor: PassCursor): readonly InventoryEndpoint[] {
  return cursor.kinds ? cursor.kinds.map(inventoryOf) : INVENTORIES;
}

/**
 * Asks each inventory for one page at once (Jamf Pro takes up to five requests at a time per instance; the
 * limiter holds every worker to that). When one request fails for good, the other is called off.
 */
async function readInventories(
  deps: ProviderDeps,
  client: ApiClient,
  ask: {
    endpoints: readonly InventoryEndpoint[];
    page: number;
    pageSize: number;
    filterFor: (endpoint: InventoryEndpoint) => string | null;
    signal: AbortSignal;
    maxRetries?: number;
  },
): Promise<{ answers: InventoryAnswer[]; tally: RequestTally }> {
  const tally = newTally();
  const calledOff = new AbortController();
  const signal = AbortSignal.any([ask.signal, calledOff.signal]);
  const answers = await Promise.all(
    ask.endpoints.map(async (endpoint) => {
      const url = inventoryUrl(client.baseUrl, endpoint, {
        page: ask.page,
        pageSize: ask.pageSize,
        filter: ask.filterFor(endpoint),
      });
      try {
        const text = await getInventory(
          deps,
          client,
          { url, endpoint, signal, ...(ask.maxRetries === undefined ? {} : { maxRetries: ask.maxRetries }) },
          tally,
        );
        return inventoryAnswer(endpoint, text);
      } catch (error) {
        calledOff.abort();
        throw error;
      }
    }),
  );
  return { answers, tally };
}

/** The inventories that have a page after `page`, by the totals their answers gave. */
function withMorePages(answers: readonly InventoryAnswer[], page: number): DeviceKind[] {
  return answers
    .filter((answer) => (page + 1) * MAX_PAGE_SIZE < answer.totalCount)
    .map((answer) => answer.endpoint.kind);
}

/**
 * The page the engine gets. Devices are read from the answers when the engine first asks for them, after it has
 * sent the next request on its way: the network never waits for this page's parsing.
 */
function fetchedPage(
  answers: readonly InventoryAnswer[],
  tally: RequestTally,
  next: PassCursor | null,
  keep: (device: ProviderDevice) => boolean = () => true,
): FetchedPage {
  let devices: ProviderDevice[] | undefined;
  return {
    get devices() {
      devices ??= answers.flatMap(devicesOf).filter(keep);
      return devices;
    },
    cursor: writeCursor(next),
    apiCalls: tally.requests,
    retries: tally.retries,
  };
}

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

/**
 * One lookup: the tracked serials that fit one request target, asked of both inventories with RSQL `=in=`.
 * Only devices whose serial key is exactly one asked for are kept (Jamf may compare without case).
 */
async function lookupPage(deps: ProviderDeps, client: ApiClient, request: SyncRequest): Promise<FetchedPage> {
  const serials = askableOf(request.trackedSerialKeys);
  const cursor = readCursor(request.cursor);
  const start = cursor.start ?? 0;
  if (start >= serials.length) return { devices: [], cursor: null, apiCalls: 0, retries: 0 };
  const end = lookupEnd(client.baseUrl, serials, start);
  const chunk = serials.slice(start, end);
  const { answers, tally } = await readInventories(deps, client, {
    endpoints: endpointsOf(cursor),
    page: cursor.page,
    pageSize: MAX_PAGE_SIZE,
    filterFor: (endpoint) => serialFilter(endpoint, chunk),
    signal: request.signal,
  });
  // More records than a page for these serials (re-enrolled devices leave some behind) are read before moving on.
  const more = withMorePages(answers, cursor.page);
  const next: PassCursor | null =
    more.length > 0
      ? { start, page: cursor.page + 1, kinds: more }
      : end < serials.length
        ? { start: end, page: 0 }
        : null;
  const wanted = new Set(chunk);
  return fetchedPage(answers, tally, next, (device) => wanted.has(device.serialKey));
}

/** One page of the listing of every computer and mobile device, both inventories at once. */
async function listingPage(
  deps: ProviderDeps,
  client: ApiClient,
  request: SyncRequest,
): Promise<FetchedPage> {
  const cursor = readCursor(request.cursor);
  const { answers, tally } = await readInventories(deps, client, {
    endpoints: endpointsOf(cursor),
    page: cursor.page,
    pageSize: MAX_PAGE_SIZE,
    filterFor: () => null,
    signal: request.signal,
  });
  const more = withMorePages(answers, cursor.page);
  return fetchedPage(answers, tally, more.length > 0 ? { page: cursor.page + 1, kinds: more } : null);
}

export function fetchPage(deps: ProviderDeps, request: SyncRequest): Promise<FetchedPage> {
  const client = clientFor(request.secret, request.settings);
  return request.strategy === SERIAL_LOOKUP
    ? lookupPage(deps, client, request)
    : listingPage(deps, client, request);
}

/**
 * The fleet's size: the totals of a one-device page of each inventory. That is a listing (a device's data comes
 * with it), which the planner only asks for under `fewest_calls`.
 */
export async function countDevices(
  deps: ProviderDeps,
  secret: string,
  settings: ProviderSettings,
): Promise<number> {
  const { answers } = await readInventories(deps, clientFor(secret, settings), {
    endpoints: INVENTORIES,
    page: 0,
    pageSize: 1,
    filterFor: () => null,
    signal: AbortSignal.timeout(120_000),
  });
  return answers.reduce((sum, answer) => sum + answer.totalCount, 0);
}

function keptToken(cached: string | null): HeldToken | null {
  if (cached === null) return null;
  try {
    const parsed = HeldToken.safeParse(JSON.parse(cached));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A token for the run, obtained while the engine loads the tracked devices: the one this process holds or the
 * one another process kept, while still good, else a new one. Returns it to keep for later runs.
 */
export async function authorize(
  deps: ProviderDeps,
  secret: string,
  settings: ProviderSettings,
  signal: AbortSignal,
  cached: string | null,
): Promise<string | null> {
  const client = clientFor(secret, settings);
  const kept = keptToken(cached);
  if (kept) adoptToken(client, kept);
  const held = heldToken(client);
  if (held) return JSON.stringify(held);
  const { value } = await withRetries(() => tokenFor(deps, client, signal), classifyJamfFailure, {
    signal,
    limiter: deps.limiter,
    log: deps.log,
  });
  return JSON.stringify(value.token);
}

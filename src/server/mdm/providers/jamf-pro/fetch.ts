import { keptAccess } from '../../http/kept-access.ts';
import { withRetries } from '../../http/retry.ts';
import type {
  FetchedPage,
  PlanInput,
  ProviderDeps,
  ProviderSettings,
  StrategyEstimate,
  SyncRequest,
} from '../../provider.ts';
import { classifyJamfFailure } from './answers.ts';
import { clientFor } from './api-client.ts';
import { readInventories } from './inventory-reads.ts';
import { INVENTORIES, MAX_PAGE_SIZE } from './kinds.ts';
import { listingPage } from './listing.ts';
import { ESTIMATED_SERIALS_PER_LOOKUP } from './lookup-chunks.ts';
import { lookupPage } from './lookups.ts';
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
    requests: INVENTORIES.map((endpoint) => ({ endpoint, page: 0 })),
    pageSize: 1,
    filterFor: () => null,
    signal: AbortSignal.timeout(120_000),
  });
  return answers.reduce((sum, answer) => sum + answer.totalCount, 0);
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
  const kept = keptAccess(HeldToken, cached);
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

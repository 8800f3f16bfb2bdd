import type { FetchedPage, PlanInput, ProviderDeps, StrategyEstimate, SyncRequest } from '../../provider.ts';
import { LISTING_PAGE_LIMIT, listingPage } from './listing.ts';
import { LOOKUP_STRATEGY, lookupPage } from './lookups.ts';

export const LISTING_STRATEGY = 'full_listing';

/**
 * Lookups cost one call per tracked device. Jamf School has no way to count its devices but listing them, so
 * Satchel never counts (no `countDevices`): a listing is estimated at one call, which is what it costs where
 * Jamf School answers the whole fleet at once, and one call per LISTING_PAGE_LIMIT devices of a fleet size
 * given. Under "Fewest API calls" the listing therefore wins for any district with more than one tracked
 * device; "Only devices in Satchel" allows only the lookups.
 */
export function estimates({ trackedCount, fleetSize }: PlanInput): StrategyEstimate[] {
  const listingCalls = fleetSize === null ? 1 : Math.max(1, Math.ceil(fleetSize / LISTING_PAGE_LIMIT));
  return [
    // First: where both cost one call (a single tracked device), the lookup wins the tie.
    { strategy: LOOKUP_STRATEGY, apiCalls: trackedCount, complete: true, targeted: true },
    { strategy: LISTING_STRATEGY, apiCalls: listingCalls, complete: true, targeted: false },
  ];
}

export function fetchPage(deps: ProviderDeps, request: SyncRequest): Promise<FetchedPage> {
  return request.strategy === LISTING_STRATEGY ? listingPage(deps, request) : lookupPage(deps, request);
}

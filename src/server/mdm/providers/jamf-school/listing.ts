import { z } from 'zod';
import { ProviderError } from '../../../errors.ts';
import { withRetries } from '../../http/retry.ts';
import type { FetchedPage, ProviderDeps, ProviderDevice, SyncRequest } from '../../provider.ts';
import type { DeviceList } from './answer.ts';
import { getDeviceList, parseStoredSecret } from './client.ts';
import { classifyJamfSchoolFailure } from './failures.ts';
import { LOOKUP_STRATEGY } from './lookups.ts';
import { toProviderDevice } from './mapping.ts';
import { JamfSchoolSettings } from './settings.ts';

/**
 * Devices asked for per listing page. Whether Jamf School pages its device list is not documented: observed
 * answers hold the whole fleet with `count`, and a server that pages would take `page` (from 1) and `limit`.
 * Satchel sends both on every listing request; a server that does not page ignores them and answers everything.
 */
export const LISTING_PAGE_LIMIT = 1000;

/**
 * Where a listing stands: the page to ask for, how many devices the pages before it held, and the UDID that
 * led the page before (a page led by the same device again is that page again).
 */
const ListingCursor = z.object({
  page: z.number().int().min(1),
  seen: z.number().int().min(0),
  previousFirst: z.string().nullable(),
});
type ListingCursor = z.infer<typeof ListingCursor>;

const FIRST_PAGE: ListingCursor = { page: 1, seen: 0, previousFirst: null };

function cursorOf(cursor: string | null): ListingCursor {
  return cursor === null ? FIRST_PAGE : ListingCursor.parse(JSON.parse(cursor));
}

function firstUdid(list: DeviceList): string | null {
  const udid = list.devices[0]?.UDID;
  return typeof udid === 'string' && udid !== '' ? udid : null;
}

interface Calls {
  apiCalls: number;
  retries: number;
}

/**
 * The second page began with the first page's first device: Jamf School ignores `page`, so the devices past the
 * first answer cannot be listed. The run looks the tracked devices up instead, where the district allows it.
 * Any later page that repeats the one before is a broken answer.
 */
function repeatedPage(cursor: ListingCursor, list: DeviceList, calls: Calls): FetchedPage {
  if (cursor.page > 2)
    throw new ProviderError(
      'malformed',
      `Jamf School answered page ${cursor.page} of its device list with the devices of page ${cursor.page - 1}`,
    );
  const reason = `Jamf School answered ${cursor.seen} of the ${list.count} devices it counts and does not page its device list`;
  return { devices: [], cursor: null, ...calls, fallback: { strategy: LOOKUP_STRATEGY, reason } };
}

/**
 * One page of the `full_listing` strategy. The listing is complete once the devices seen reach the `count`
 * Jamf School gives. An answer holding fewer is followed by the next page; a page that repeats the one before,
 * or an empty page before the count is reached, means the list cannot be walked to its end, and the run falls
 * back to lookups (which are complete by themselves) rather than mark devices not found on an incomplete pass.
 */
export async function listingPage(deps: ProviderDeps, request: SyncRequest): Promise<FetchedPage> {
  const { baseUrl, timeZone } = JamfSchoolSettings.parse(request.settings);
  const secret = parseStoredSecret(request.secret);
  const cursor = cursorOf(request.cursor);
  const { value: list, retries } = await withRetries(
    () =>
      getDeviceList(deps, {
        baseUrl,
        secret,
        params: { page: String(cursor.page), limit: String(LISTING_PAGE_LIMIT) },
        signal: request.signal,
      }),
    classifyJamfSchoolFailure,
    { signal: request.signal, limiter: deps.limiter, log: deps.log },
  );
  const calls = { apiCalls: 1 + retries, retries };
  const first = firstUdid(list);
  if (cursor.page > 1 && first !== null && first === cursor.previousFirst)
    return repeatedPage(cursor, list, calls);
  const devices = list.devices
    .map((device) => toProviderDevice(device, timeZone))
    .filter((device): device is ProviderDevice => device !== null);
  const seen = cursor.seen + list.devices.length;
  if (seen >= list.count) return { devices, cursor: null, ...calls };
  if (list.devices.length === 0) {
    const reason = `Jamf School's device list ended after ${seen} of the ${list.count} devices it counts`;
    return { devices, cursor: null, ...calls, fallback: { strategy: LOOKUP_STRATEGY, reason } };
  }
  const next: ListingCursor = { page: cursor.page + 1, seen, previousFirst: first };
  return { devices, cursor: JSON.stringify(next), nextPosition: String(next.page), ...calls };
}

import { withRetries } from '../../http/retry.ts';
import type { FetchedPage, ProviderDeps, ProviderDevice, SyncRequest } from '../../provider.ts';
import type { DeviceList } from './answer.ts';
import { CONCURRENT_REQUESTS, getDeviceList, type JamfSchoolSecret, parseStoredSecret } from './client.ts';
import { classifyJamfSchoolFailure } from './failures.ts';
import { toProviderDevice } from './mapping.ts';
import { JamfSchoolSettings } from './settings.ts';

/** Looking tracked devices up by serial, one request each; also where a listing falls back to. */
export const LOOKUP_STRATEGY = 'serial_lookup';

/**
 * Jamf School looks up one serial per request. A page sends this many at once, as many as the connection's
 * limit lets run side by side: they all leave together, so a page boundary (where the engine checks that the
 * connection is still active) falls between every five requests and never in the middle of a wave.
 */
export const LOOKUPS_PER_PAGE = CONCURRENT_REQUESTS;

/** Where a lookup pass stands: the index of the next serial in the tracked list. */
function startOf(cursor: string | null): number {
  const start = cursor === null ? 0 : Number(cursor);
  return Number.isSafeInteger(start) && start >= 0 ? start : 0;
}

interface Lookup {
  serial: string;
  list: DeviceList;
  retries: number;
}

async function lookUp(
  deps: ProviderDeps,
  request: { baseUrl: string; secret: JamfSchoolSecret; serial: string; signal: AbortSignal },
): Promise<Lookup> {
  const { value, retries } = await withRetries(
    () =>
      getDeviceList(deps, {
        baseUrl: request.baseUrl,
        secret: request.secret,
        params: { serialnumber: request.serial },
        signal: request.signal,
      }),
    classifyJamfSchoolFailure,
    { signal: request.signal, limiter: deps.limiter, log: deps.log },
  );
  return { serial: request.serial, list: value, retries };
}

/**
 * The devices a lookup found with exactly the serial key asked about. Jamf School may compare serials without
 * regard to case (then "dmpxk3q9kxyz" is found for DMPXK3Q9KXYZ, which is the same key) or exactly; either
 * way, anything else it returns is dropped here.
 */
function devicesOf(lookup: Lookup, timeZone: string): ProviderDevice[] {
  return lookup.list.devices
    .map((device) => toProviderDevice(device, timeZone))
    .filter((device): device is ProviderDevice => device !== null && device.serialKey === lookup.serial);
}

/** One page of the `serial_lookup` strategy: the next LOOKUPS_PER_PAGE tracked serials, each looked up. */
export async function lookupPage(deps: ProviderDeps, request: SyncRequest): Promise<FetchedPage> {
  const { baseUrl, timeZone } = JamfSchoolSettings.parse(request.settings);
  const secret = parseStoredSecret(request.secret);
  const start = startOf(request.cursor);
  const serials = request.trackedSerialKeys.slice(start, start + LOOKUPS_PER_PAGE);
  if (serials.length === 0) return { devices: [], cursor: null, apiCalls: 0, retries: 0 };
  // One lookup failing for good fails the page: the others are stopped rather than left to run on.
  const failed = new AbortController();
  const signal = AbortSignal.any([request.signal, failed.signal]);
  const lookups = await Promise.all(
    serials.map((serial) =>
      lookUp(deps, { baseUrl, secret, serial, signal }).catch((error: unknown) => {
        failed.abort();
        throw error;
      }),
    ),
  );
  const end = start + serials.length;
  const retries = lookups.reduce((sum, lookup) => sum + lookup.retries, 0);
  return {
    devices: lookups.flatMap((lookup) => devicesOf(lookup, timeZone)),
    cursor: end < request.trackedSerialKeys.length ? String(end) : null,
    apiCalls: serials.length + retries,
    retries,
  };
}

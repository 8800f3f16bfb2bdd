import { ProviderError } from '../../../errors.ts';
import { withRetries } from '../../http/retry.ts';
import type { FetchedPage, ProviderDeps, ProviderDevice, SyncRequest } from '../../provider.ts';
import { isObject } from './answers.ts';
import { classifyGraphFailure, type GraphCall, GraphRefusal, getFromGraph, graphRoot } from './graph.ts';
import { DEVICE_SELECT, toProviderDevice } from './mapping.ts';

/** Graph's page of managed devices holds 1,000 devices (Microsoft's answer in powershell-intune-samples#2). */
export const LISTING_PAGE_SIZE = 1000;

const MANAGED_DEVICES = '/deviceManagement/managedDevices';

/** Where a listing starts: every managed device, only the properties Satchel keeps. */
function firstPageUrl(deps: ProviderDeps): string {
  return `${graphRoot(deps)}${MANAGED_DEVICES}?$select=${DEVICE_SELECT}`;
}

/**
 * A next-page link is followed as Graph gave it, but only to Graph's own device list: the request carries the
 * tenant's access token, which must not go anywhere else.
 */
export function checkNextLink(deps: ProviderDeps, link: string): string {
  const root = new URL(`${graphRoot(deps)}${MANAGED_DEVICES}`);
  let next: URL;
  try {
    next = new URL(link);
  } catch {
    throw new ProviderError('malformed', 'Microsoft Graph returned a next-page link that is not a URL');
  }
  // Graph's paths are not case-sensitive, and it may spell them in its own case.
  if (next.origin !== root.origin || next.pathname.toLowerCase() !== root.pathname.toLowerCase())
    throw new ProviderError(
      'malformed',
      'Microsoft Graph returned a next-page link outside its list of managed devices',
    );
  return link;
}

interface DevicePage {
  value: unknown[];
  nextLink: string | null;
}

function devicePageOf(body: unknown): DevicePage {
  const nextLink = isObject(body) ? body['@odata.nextLink'] : undefined;
  if (
    !isObject(body) ||
    !Array.isArray(body.value) ||
    (nextLink !== undefined && typeof nextLink !== 'string')
  )
    throw new ProviderError(
      'malformed',
      'Microsoft Graph returned a page of managed devices of an unexpected shape',
    );
  return { value: body.value, nextLink: nextLink ?? null };
}

/** The page's devices, read when the engine first asks (after it has sent the next request on its way). */
export function readDevices(
  rows: readonly unknown[],
  keep: (device: ProviderDevice) => boolean = () => true,
) {
  let devices: ProviderDevice[] | undefined;
  return (): ProviderDevice[] => {
    try {
      devices ??= rows
        .map(toProviderDevice)
        .filter((device): device is ProviderDevice => device !== null && keep(device));
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new ProviderError(
          'malformed',
          `Microsoft Graph returned a managed device of an unexpected shape`,
        );
      throw error;
    }
    return devices;
  };
}

/**
 * One page of the full listing of `deviceManagement/managedDevices`, from its start or from the next-page
 * link a page before gave (the cursor, so a killed run resumes there).
 */
export async function listingPage(
  deps: ProviderDeps,
  call: GraphCall,
  request: SyncRequest,
): Promise<FetchedPage> {
  const url = request.cursor === null ? firstPageUrl(deps) : checkNextLink(deps, request.cursor);
  const { value: page, retries } = await withRetries(
    async () => {
      const response = await getFromGraph(deps, call, url);
      if (response.status !== 200) throw GraphRefusal.of(response);
      return devicePageOf(JSON.parse(response.text));
    },
    classifyGraphFailure,
    { signal: request.signal, limiter: deps.limiter, log: deps.log },
  );
  const next = page.nextLink === null ? null : checkNextLink(deps, page.nextLink);
  const devices = readDevices(page.value);
  return {
    get devices() {
      return devices();
    },
    cursor: next,
    apiCalls: 1 + retries,
    retries,
  };
}

import { ProviderError } from '../../../errors.ts';
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
import { isObject } from './answers.ts';
import { classifyGraphFailure, type GraphCall, GraphRefusal, getFromGraph, graphRoot } from './graph.ts';
import { LISTING_PAGE_SIZE, listingPage } from './listing.ts';
import { lookupPage } from './lookup.ts';
import { storedFor } from './secret.ts';
import { IntuneSettings } from './settings.ts';
import { AccessToken, accessTokenFor, keepToken } from './token.ts';

/**
 * What each strategy costs, in Graph requests as Graph throttles them: a lookup is one request per serial
 * (twenty travel in one `$batch`, but each counts), a listing one request per page of 1,000 devices.
 */
export function estimates({ trackedCount, fleetSize }: PlanInput): StrategyEstimate[] {
  const options: StrategyEstimate[] = [
    { strategy: 'batch_lookup', apiCalls: trackedCount, complete: true, targeted: true },
  ];
  if (fleetSize !== null)
    options.push({
      strategy: 'full_listing',
      apiCalls: Math.max(1, Math.ceil(fleetSize / LISTING_PAGE_SIZE)),
      complete: true,
      targeted: false,
    });
  return options;
}

function graphCall(secret: string, settings: ProviderSettings, signal: AbortSignal): GraphCall {
  return { secret, stored: storedFor(secret, IntuneSettings.parse(settings)), signal };
}

/**
 * The tenant's managed devices as Intune counts them (`managedDeviceOverview.enrolledDeviceCount`): one request
 * that reads counts, never a device, for the planner to weigh a listing against lookups.
 */
export async function countDevices(
  deps: ProviderDeps,
  secret: string,
  settings: ProviderSettings,
): Promise<number> {
  const signal = AbortSignal.timeout(60_000);
  const call = graphCall(secret, settings, signal);
  const { value: overview } = await withRetries(
    async () => {
      const response = await getFromGraph(
        deps,
        call,
        `${graphRoot(deps)}/deviceManagement/managedDeviceOverview`,
      );
      if (response.status !== 200) throw GraphRefusal.of(response);
      return JSON.parse(response.text) as unknown;
    },
    classifyGraphFailure,
    { signal, limiter: deps.limiter, log: deps.log },
  );
  const count = isObject(overview) ? overview.enrolledDeviceCount : undefined;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0)
    throw new ProviderError('malformed', 'Microsoft Graph returned a device overview of an unexpected shape');
  return count;
}

/**
 * Makes sure this process holds a Graph token for the run: the one it holds, the one another process kept
 * (`cached`) while good, or a new one. Microsoft gives no refresh token for app access: a new token is asked
 * for whenever one expires. Returns the token to keep for later runs.
 */
export async function authorize(
  deps: ProviderDeps,
  secret: string,
  settings: ProviderSettings,
  signal: AbortSignal,
  cached: string | null,
): Promise<string> {
  const stored = storedFor(secret, IntuneSettings.parse(settings));
  const kept = keptAccess(AccessToken, cached);
  if (kept) keepToken(deps, secret, kept);
  return JSON.stringify(await accessTokenFor(deps, secret, stored, { signal }));
}

export async function fetchPage(deps: ProviderDeps, request: SyncRequest): Promise<FetchedPage> {
  const call = graphCall(request.secret, request.settings, request.signal);
  return request.strategy === 'batch_lookup'
    ? lookupPage(deps, call, request)
    : listingPage(deps, call, request);
}

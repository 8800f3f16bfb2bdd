import type { FetchedPage, ProviderDeps, ProviderDevice } from '../../provider.ts';
import type { ApiClient } from './api-client.ts';
import { devicesOf, type InventoryAnswer, inventoryAnswer } from './inventory-page.ts';
import { getInventory, newTally, type RequestTally } from './inventory-request.ts';
import { type InventoryEndpoint, inventoryUrl } from './kinds.ts';

/** One page of one inventory to ask for. */
export interface PageRequest {
  endpoint: InventoryEndpoint;
  page: number;
}

export interface PageAnswer extends InventoryAnswer {
  page: number;
}

/**
 * Asks for a few inventory pages at once (Jamf Pro takes up to five requests at a time per server; the limiter
 * holds every worker to that). When one request fails for good, the others are called off.
 */
export async function readInventories(
  deps: ProviderDeps,
  client: ApiClient,
  ask: {
    requests: readonly PageRequest[];
    pageSize: number;
    filterFor: (endpoint: InventoryEndpoint) => string | null;
    signal: AbortSignal;
    maxRetries?: number;
  },
): Promise<{ answers: PageAnswer[]; tally: RequestTally }> {
  const tally = newTally();
  const calledOff = new AbortController();
  const signal = AbortSignal.any([ask.signal, calledOff.signal]);
  const answers = await Promise.all(
    ask.requests.map(async ({ endpoint, page }) => {
      const url = inventoryUrl(client.baseUrl, endpoint, {
        page,
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
        return { ...inventoryAnswer(endpoint, text), page };
      } catch (error) {
        calledOff.abort();
        throw error;
      }
    }),
  );
  return { answers, tally };
}

/**
 * The page the engine gets. Devices are read from the answers when the engine first asks for them, after it has
 * sent the next request on its way: the network never waits for this page's parsing.
 */
export function fetchedPage(
  answers: readonly InventoryAnswer[],
  tally: RequestTally,
  cursor: string | null,
  keep: (device: ProviderDevice) => boolean = () => true,
): FetchedPage {
  let devices: ProviderDevice[] | undefined;
  return {
    get devices() {
      devices ??= answers.flatMap(devicesOf).filter(keep);
      return devices;
    },
    cursor,
    apiCalls: tally.requests,
    retries: tally.retries,
  };
}

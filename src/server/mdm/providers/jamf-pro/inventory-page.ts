import { ProviderError } from '../../../errors.ts';
import type { ProviderDevice } from '../../provider.ts';
import type { InventoryEndpoint } from './kinds.ts';
import { DEVICE_OF } from './mapping.ts';

/** One inventory answer: `{"totalCount": N, "results": […]}`, its results read only when asked for. */
export interface InventoryAnswer {
  endpoint: InventoryEndpoint;
  totalCount: number;
  /** The answer's text, or its parsed body when reading the total took parsing it already. */
  body: string | { results: unknown[] };
}

function broken(endpoint: InventoryEndpoint, what: string): ProviderError {
  return new ProviderError('malformed', `Jamf Pro returned a ${endpoint.label} page ${what}`);
}

function parsePage(endpoint: InventoryEndpoint, text: string): { totalCount: number; results: unknown[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw broken(endpoint, 'that is not valid JSON');
  }
  const { totalCount, results } = (body ?? {}) as { totalCount?: unknown; results?: unknown };
  if (!Number.isInteger(totalCount) || (totalCount as number) < 0 || !Array.isArray(results))
    throw broken(endpoint, 'of an unexpected shape (no totalCount and results)');
  return { totalCount: totalCount as number, results };
}

/**
 * Jamf writes `totalCount` first. Read from the head of the answer, it says whether more pages follow without
 * parsing the whole page before the next request leaves; an answer that does not start so is parsed now.
 */
const HEAD_TOTAL = /^\s*\{\s*"totalCount"\s*:\s*(\d+)\s*[,}]/;

export function inventoryAnswer(endpoint: InventoryEndpoint, text: string): InventoryAnswer {
  const head = HEAD_TOTAL.exec(text.slice(0, 200));
  if (head) return { endpoint, totalCount: Number(head[1]), body: text };
  const parsed = parsePage(endpoint, text);
  return { endpoint, totalCount: parsed.totalCount, body: { results: parsed.results } };
}

/** The answer's devices, mapped; records without an ID or serial number are left out. */
export function devicesOf(answer: InventoryAnswer): ProviderDevice[] {
  const { endpoint } = answer;
  const { results } = typeof answer.body === 'string' ? parsePage(endpoint, answer.body) : answer.body;
  const toDevice = DEVICE_OF[endpoint.kind];
  const devices: ProviderDevice[] = [];
  for (const record of results) {
    if (!record || typeof record !== 'object' || Array.isArray(record))
      throw broken(endpoint, 'with a record that is not an object');
    const device = toDevice(record as Record<string, unknown>);
    if (device) devices.push(device);
  }
  return devices;
}

import { serialKey as serialKeyOf } from '../../../../common/inventory.ts';
import { ProviderError } from '../../../errors.ts';
import { refuseRedirect } from '../../http/redirects.ts';
import { requestText } from '../../http/request.ts';
import { withRetries } from '../../http/retry.ts';
import type { FetchedPage, ProviderDeps, SyncRequest } from '../../provider.ts';
import { isObject, MAX_RESPONSE_BYTES } from './answers.ts';
import { classifyGraphFailure, type GraphCall, GraphRefusal, graphRoot, sendWithToken } from './graph.ts';
import { readDevices } from './listing.ts';
import { DEVICE_SELECT } from './mapping.ts';

/** Graph's most requests in one `$batch`; each still counts against the tenant's throttling on its own. */
export const BATCH_SIZE = 20;
/**
 * A serial enrolled more often than this is not believed: Graph answers a filter it cannot apply with every
 * device, so a lookup with more rows than a re-enrolled serial plausibly has means the filter was ignored.
 */
export const MAX_RECORDS_PER_SERIAL = 5;

export const LOOKUP_FALLBACK = 'full_listing';

/**
 * The inner request that looks one serial up. `$top` is one more than a serial's plausible records: should
 * Graph ignore the filter, each lookup reads a handful of devices, not a page of a thousand.
 */
function lookupUrl(serial: string): string {
  const filter = encodeURIComponent(`serialNumber eq '${serial.replaceAll("'", "''")}'`);
  return `/deviceManagement/managedDevices?$filter=${filter}&$select=${DEVICE_SELECT}&$top=${MAX_RECORDS_PER_SERIAL + 1}`;
}

/** The worst of the inner refusals: one that retrying cannot cure, else a throttle (the longest wait), else an outage. */
function worstOf(refusals: readonly GraphRefusal[]): GraphRefusal | undefined {
  const final = refusals.find((refusal) => refusal.status !== 429 && refusal.status < 500);
  if (final) return final;
  const byWait = (a: GraphRefusal, b: GraphRefusal) => (b.retryAfterMs ?? 0) - (a.retryAfterMs ?? 0);
  return (
    [...refusals.filter((refusal) => refusal.status === 429)].sort(byWait)[0] ?? [...refusals].sort(byWait)[0]
  );
}

const malformed = (what: string) => new ProviderError('malformed', `Microsoft Graph returned ${what}`);

/** One inner answer of a `$batch`: its rows for a 200, else Graph's refusal. */
function innerAnswer(
  inner: unknown,
  asked: ReadonlySet<number>,
): { index: number; rows?: unknown[]; refusal?: GraphRefusal } {
  if (!isObject(inner) || typeof inner.id !== 'string' || typeof inner.status !== 'number')
    throw malformed('a batch answer of an unexpected shape');
  const index = Number(inner.id);
  if (!asked.has(index)) throw malformed('a batch answer to a request it was not sent');
  if (inner.status !== 200) {
    const headers = isObject(inner.headers) ? (inner.headers as Record<string, string>) : undefined;
    return { index, refusal: new GraphRefusal(inner.status, inner.body, headers) };
  }
  const body = inner.body;
  if (!isObject(body) || !Array.isArray(body.value))
    throw malformed('a lookup answer of an unexpected shape');
  return { index, rows: body.value };
}

/**
 * Looks up to 20 serials up in one `$batch`, each with `$filter=serialNumber eq '…'`. An inner request Graph
 * refused is sent again without those answered (a throttled one after its `Retry-After`). Returns each
 * serial's rows, and the Graph requests spent.
 */
async function lookUp(
  deps: ProviderDeps,
  call: GraphCall,
  serials: readonly string[],
): Promise<{ rows: unknown[][]; sent: number; retries: number }> {
  const answered = new Map<number, unknown[]>();
  let sent = 0;
  const attempt = async () => {
    const pending = serials.map((_, index) => index).filter((index) => !answered.has(index));
    const body = JSON.stringify({
      requests: pending.map((index) => ({
        id: String(index),
        method: 'GET',
        url: lookupUrl(serials[index] as string),
      })),
    });
    const response = await sendWithToken(deps, call, async (headers) => {
      const answer = await requestText(
        'POST',
        `${graphRoot(deps)}/$batch`,
        { ...headers, 'content-type': 'application/json' },
        body,
        { signal: call.signal, maxBytes: MAX_RESPONSE_BYTES },
      );
      // Graph counts each request inside a batch it ran; a batch it refused whole is one request.
      sent += answer.status === 200 ? pending.length : 1;
      return answer;
    });
    refuseRedirect(response.status, response.headers.location);
    if (response.status !== 200) throw GraphRefusal.of(response);
    const envelope = JSON.parse(response.text) as unknown;
    if (!isObject(envelope) || !Array.isArray(envelope.responses))
      throw malformed('a batch of an unexpected shape');
    const asked = new Set(pending);
    const refusals: GraphRefusal[] = [];
    for (const inner of envelope.responses) {
      const answer = innerAnswer(inner, asked);
      if (answer.rows) answered.set(answer.index, answer.rows);
      else if (answer.refusal) refusals.push(answer.refusal);
    }
    if (answered.size < serials.length)
      throw worstOf(refusals) ?? malformed('a batch that left lookups unanswered');
  };
  const { retries } = await withRetries(attempt, classifyGraphFailure, {
    signal: call.signal,
    limiter: deps.limiter,
    cost: serials.length,
    log: deps.log,
  });
  return { rows: serials.map((_, index) => answered.get(index) ?? []), sent, retries };
}

/** Whether every row is the serial asked for, and few enough to be its records rather than a listing. */
function filterHeld(serial: string, rows: readonly unknown[]): boolean {
  return (
    rows.length <= MAX_RECORDS_PER_SERIAL &&
    rows.every(
      (row) =>
        isObject(row) && typeof row.serialNumber === 'string' && serialKeyOf(row.serialNumber) === serial,
    )
  );
}

/**
 * One page of lookups: the next 20 tracked serials (the cursor is how many went before, so a killed run resumes
 * there). When Graph ignored a serial filter, the page says so and names the listing to use instead.
 */
export async function lookupPage(
  deps: ProviderDeps,
  call: GraphCall,
  request: SyncRequest,
): Promise<FetchedPage> {
  const start = request.cursor === null ? 0 : Number(request.cursor);
  if (!Number.isSafeInteger(start) || start < 0)
    throw new ProviderError('malformed', 'The lookup cursor is not a position');
  const serials = request.trackedSerialKeys.slice(start, start + BATCH_SIZE);
  if (serials.length === 0) return { devices: [], cursor: null, apiCalls: 0, retries: 0 };
  const { rows, sent, retries } = await lookUp(deps, call, serials);
  const filtered = serials.every((serial, index) => filterHeld(serial, rows[index] as unknown[]));
  const wanted = new Set(serials);
  const devices = readDevices(rows.flat(), (device) => wanted.has(device.serialKey));
  const next = start + BATCH_SIZE < request.trackedSerialKeys.length ? String(start + BATCH_SIZE) : null;
  return {
    get devices() {
      return devices();
    },
    cursor: next,
    apiCalls: sent,
    retries,
    ...(filtered
      ? {}
      : {
          fallback: {
            strategy: LOOKUP_FALLBACK,
            reason:
              'Microsoft Graph ignored the serial-number filter of a lookup and answered with other devices',
          },
        }),
  };
}

/**
 * The request log: one entry per request to an instance, filled in as the request is answered.
 * It keeps about `maxEntries`, dropping the oldest a tenth at a time (one at a time moved the whole
 * array on every request).
 */
import type { FakeLogEntry, RequestKind } from './types.ts';

/** Values of these parameters are cut to a recognisable prefix. */
const SECRET_PARAMS = new Set(['client_secret', 'access_token']);

export class RequestLog {
  readonly entries: FakeLogEntry[] = [];
  private seq = 0;
  private readonly maxEntries: number;

  constructor(maxEntries: number) {
    this.maxEntries = maxEntries;
  }

  add(input: {
    at: number;
    method: string;
    path: string;
    params: URLSearchParams;
    kind: RequestKind;
    instance: string;
  }): FakeLogEntry {
    const entry: FakeLogEntry = {
      seq: ++this.seq,
      at: input.at,
      method: input.method,
      path: input.path,
      query: queryObject(input.params),
      kind: input.kind,
      operation: 'unknown',
      inner: false,
      listing: false,
      serials: [],
      status: 0,
      instance: input.instance,
      durationMs: 0,
    };
    this.entries.push(entry);
    if (this.entries.length > this.maxEntries + Math.ceil(this.maxEntries / 10)) {
      this.entries.splice(0, this.entries.length - this.maxEntries);
    }
    return entry;
  }

  mark(): number {
    return this.seq;
  }

  since(mark: number): FakeLogEntry[] {
    return this.entries.filter((entry) => entry.seq > mark);
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/** Query parameters as one string each (repeated ones joined by commas). */
function queryObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of params) {
    const value = SECRET_PARAMS.has(key) ? `${raw.slice(0, 6)}…` : raw;
    out[key] = key in out ? `${out[key]},${value}` : value;
  }
  return out;
}

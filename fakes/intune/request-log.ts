/**
 * Every request the fake answers, inner `$batch` requests included, in arrival order. Query values that are
 * secrets are cut to a prefix. The log keeps about `max` entries, dropping the oldest a tenth at a time.
 */
import type { FakeLogEntry, RequestKind } from './types.ts';

const SECRET_PARAMS = new Set(['client_secret', 'client_assertion']);

export interface NewEntry {
  method: string;
  path: string;
  params: URLSearchParams;
  kind: RequestKind;
  operation: string;
  inner?: boolean;
  batchSeq?: number;
  batchRequestId?: string;
}

export class RequestLog {
  readonly entries: FakeLogEntry[] = [];
  private seq = 0;
  private readonly max: number;
  private readonly now: () => number;

  constructor(max: number, now: () => number) {
    this.max = max;
    this.now = now;
  }

  add(input: NewEntry): FakeLogEntry {
    const entry: FakeLogEntry = {
      seq: ++this.seq,
      at: this.now(),
      method: input.method,
      path: input.path,
      query: queryOf(input.params),
      kind: input.kind,
      operation: input.operation,
      inner: input.inner ?? false,
      listing: false,
      serials: [],
      status: 0,
      durationMs: 0,
    };
    if (input.batchSeq !== undefined) entry.batchSeq = input.batchSeq;
    if (input.batchRequestId !== undefined) entry.batchRequestId = input.batchRequestId;
    this.entries.push(entry);
    if (this.entries.length > this.max + Math.ceil(this.max / 10))
      this.entries.splice(0, this.entries.length - this.max);
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

function queryOf(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, raw] of params) {
    const value = SECRET_PARAMS.has(key) ? `${raw.slice(0, 8)}…` : raw;
    query[key] = key in query ? `${query[key]},${value}` : value;
  }
  return query;
}

/** The fake's request log: every request, oldest first, bounded in size. */
import type { FakeLogEntry, RequestKind } from './types.ts';

export class RequestLog {
  readonly entries: FakeLogEntry[] = [];
  private seq = 0;
  private readonly max: number;

  constructor(max = 200_000) {
    this.max = max;
  }

  start(input: {
    at: number;
    method: string;
    path: string;
    params: URLSearchParams;
    kind: RequestKind;
  }): FakeLogEntry {
    const query: Record<string, string> = {};
    for (const [key, value] of input.params) query[key] = key in query ? `${query[key]},${value}` : value;
    const entry: FakeLogEntry = {
      seq: ++this.seq,
      at: input.at,
      method: input.method,
      path: input.path,
      query,
      kind: input.kind,
      operation: 'unknown',
      inner: false,
      listing: false,
      serials: [],
      status: 0,
      instance: 'default',
      durationMs: 0,
    };
    this.entries.push(entry);
    // Trimmed a tenth at a time: dropping one entry per request would move the whole log on every request.
    if (this.entries.length > this.max + Math.ceil(this.max / 10)) {
      this.entries.splice(0, this.entries.length - this.max);
    }
    return entry;
  }

  mark(): number {
    return this.seq;
  }

  since(mark: number): FakeLogEntry[] {
    return this.entries.filter((e) => e.seq > mark);
  }

  clear(): void {
    this.entries.length = 0;
  }
}

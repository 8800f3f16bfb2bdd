/**
 * Scheduled faults: the next matching requests fail with a status (and Graph's or Entra's body for it), or
 * succeed with a broken body (cut short, another shape, an HTML page, a page that links to itself).
 */
import type { GraphResult } from './graph-errors.ts';
import type { FailTarget, MalformedKind } from './types.ts';

export interface FailNextOptions {
  /** Seconds for `Retry-After`; null leaves the header out. Default: 1 for 429, none otherwise. */
  retryAfter?: number | null;
  /** Top-level Graph requests and batches (default), inner batch requests, the token endpoint, or any. */
  target?: FailTarget;
}

export interface MalformedNextOptions {
  target?: 'api' | 'batch-item';
  /** Answer this many matching requests normally first. */
  after?: number;
}

export interface Failure {
  status: number;
  /** Seconds, or null for no header. */
  retryAfter: number | null;
}

interface PendingFailure extends Failure {
  remaining: number;
  target: FailTarget;
}

interface PendingMalformed {
  remaining: number;
  kind: MalformedKind;
  target: 'api' | 'batch-item';
  after: number;
}

export class Faults {
  private failures: PendingFailure[] = [];
  private malformed: PendingMalformed[] = [];

  failNext(n: number, status = 503, options: FailNextOptions = {}): void {
    if (n <= 0) return;
    const retryAfter = options.retryAfter === undefined ? (status === 429 ? 1 : null) : options.retryAfter;
    this.failures.push({ remaining: n, status, retryAfter, target: options.target ?? 'api' });
  }

  malformedNext(n: number, kind: MalformedKind, options: MalformedNextOptions = {}): void {
    if (n <= 0) return;
    this.malformed.push({
      remaining: n,
      kind,
      target: options.target ?? 'api',
      after: options.after ?? 0,
    });
  }

  takeFailure(target: Exclude<FailTarget, 'any'>): Failure | undefined {
    const failure = this.failures.find((f) => f.target === target || f.target === 'any');
    if (!failure) return undefined;
    failure.remaining--;
    this.failures = this.failures.filter((f) => f.remaining > 0);
    return { status: failure.status, retryAfter: failure.retryAfter };
  }

  takeMalformed(target: 'api' | 'batch-item'): MalformedKind | undefined {
    const pending = this.malformed.find((m) => m.target === target);
    if (!pending) return undefined;
    if (pending.after > 0) {
      pending.after--;
      return undefined;
    }
    pending.remaining--;
    this.malformed = this.malformed.filter((m) => m.remaining > 0);
    return pending.kind;
  }

  reset(): void {
    this.failures = [];
    this.malformed = [];
  }
}

/** A successful answer broken the requested way; `ownUrl` is where a `repeat-page` links back to. */
export function breakAnswer(result: GraphResult, kind: MalformedKind, ownUrl: string): GraphResult {
  const json = result.json as Record<string, unknown> | undefined;
  switch (kind) {
    case 'html':
      return {
        status: 200,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        text: '<!DOCTYPE html><html><head><title>Service unavailable</title></head><body><p>Please try again later.</p></body></html>\n',
      };
    case 'truncated': {
      const text = result.text ?? JSON.stringify(result.json);
      return { ...result, json: undefined, text: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
    }
    case 'repeat-page':
      return json && Array.isArray(json.value)
        ? { ...result, json: { ...json, '@odata.nextLink': ownUrl } }
        : result;
    default:
      return { ...result, json: wrongShape(json) };
  }
}

function wrongShape(json: Record<string, unknown> | undefined): unknown {
  if (!json) return { unexpected: true };
  if (Array.isArray(json.value)) return { value: { items: json.value }, '@odata.nextLink': 12345 };
  if (Array.isArray(json.responses)) return { responses: 'unavailable' };
  if ('enrolledDeviceCount' in json) return { enrolledDeviceCount: 'many' };
  return [json];
}

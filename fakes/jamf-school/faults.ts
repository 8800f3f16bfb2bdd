/**
 * Scheduled faults: the next n API requests fail with a status (in Jamf School's error shape), or the next n
 * answers that would have succeeded come back broken.
 */
import { type ApiResult, errors, jamfError } from './errors.ts';
import type { FailTarget, MalformedKind } from './types.ts';

export interface FailNextOptions {
  /** Seconds in `Retry-After` of a 429 (default 1); null leaves the header out. */
  retryAfter?: number | null;
  /** Only `api` requests exist here; `any` is the same. */
  target?: FailTarget;
}

interface PendingFailure {
  remaining: number;
  status: number;
  retryAfter: number | null;
  target: FailTarget;
}

interface PendingMalformed {
  remaining: number;
  kind: MalformedKind;
  /** Answers still to give normally before the fault starts. */
  after: number;
}

export class FaultQueue {
  private failures: PendingFailure[] = [];
  private malformed: PendingMalformed[] = [];

  failNext(n: number, status = 503, options: FailNextOptions = {}): void {
    if (n <= 0) return;
    const retryAfter = options.retryAfter === undefined ? 1 : options.retryAfter;
    this.failures.push({ remaining: n, status, retryAfter, target: options.target ?? 'api' });
  }

  malformedNext(n: number, kind: MalformedKind, options: { after?: number } = {}): void {
    if (n > 0) this.malformed.push({ remaining: n, kind, after: options.after ?? 0 });
  }

  reset(): void {
    this.failures = [];
    this.malformed = [];
  }

  /** The injected failure for the next API request, if one is due. */
  takeFailure(): ApiResult | undefined {
    const failure = this.failures.find((f) => f.target === 'api' || f.target === 'any');
    if (!failure) return undefined;
    failure.remaining--;
    if (failure.remaining === 0) this.failures.splice(this.failures.indexOf(failure), 1);
    if (failure.status === 429) return errors.tooManyRequests(failure.retryAfter);
    if (failure.status === 401) return errors.unauthorized();
    if (failure.status === 405) return errors.permissionDenied('GET');
    return jamfError(failure.status);
  }

  /** The kind of breakage due for the next successful answer, if any. */
  takeMalformed(): MalformedKind | undefined {
    const pending = this.malformed[0];
    if (!pending) return undefined;
    if (pending.after > 0) {
      pending.after--;
      return undefined;
    }
    pending.remaining--;
    if (pending.remaining === 0) this.malformed.shift();
    return pending.kind;
  }
}

/** A successful answer broken the given way (`repeat-page` is handled where pages are cut). */
export function malformedResult(result: ApiResult, kind: Exclude<MalformedKind, 'repeat-page'>): ApiResult {
  if (kind === 'html') {
    return {
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=UTF-8' },
      text: '<!DOCTYPE html><html><head><title>Jamf School</title></head><body><p>Maintenance in progress.</p></body></html>\n',
      resultCount: 0,
    };
  }
  const text = result.text ?? JSON.stringify(result.json);
  if (kind === 'truncated')
    return { ...result, json: undefined, text: text.slice(0, Math.max(1, text.length >> 1)) };
  const json = JSON.parse(text) as Record<string, unknown>;
  const wrong =
    'devices' in json
      ? { code: 200, count: String(json.count), devices: { list: json.devices } }
      : { code: 200, device: [json.device] };
  return { ...result, json: wrong, text: undefined };
}

/**
 * Scheduled faults: the next matching requests fail with an error status, or succeed with a broken body
 * (cut-off JSON, the wrong shape, an HTML page, or — for inventory pages — the page before again).
 */
import { type ApiResult, errors, JSON_TYPE } from './errors.ts';
import type { FailNextOptions, FailTarget, MalformedKind, MalformedNextOptions } from './types.ts';

interface PendingFailure {
  remaining: number;
  status: number;
  retryAfter: number | null;
  target: FailTarget;
  instance?: string;
}

interface PendingMalformed {
  remaining: number;
  kind: MalformedKind;
  target: 'api' | 'token';
  instance?: string;
  /** Matching successful answers still to give normally before the fault starts. */
  after: number;
}

export class FaultPlan {
  private failures: PendingFailure[] = [];
  private malformed: PendingMalformed[] = [];

  failNext(n: number, status = 503, options: FailNextOptions = {}): void {
    if (n <= 0) return;
    this.failures.push({
      remaining: n,
      status,
      retryAfter: options.retryAfter === undefined ? 1 : options.retryAfter,
      target: options.target ?? 'api',
      ...(options.instance ? { instance: options.instance } : {}),
    });
  }

  malformedNext(n: number, kind: MalformedKind, options: MalformedNextOptions = {}): void {
    if (n <= 0) return;
    const target = options.target ?? 'api';
    if (kind === 'repeat-page' && target !== 'api')
      throw new Error('repeat-page applies to inventory pages only');
    this.malformed.push({
      remaining: n,
      kind,
      target,
      after: options.after ?? 0,
      ...(options.instance ? { instance: options.instance } : {}),
    });
  }

  /** The injected error for this request, if one is due. */
  takeFailure(target: 'api' | 'token', instance: string): ApiResult | undefined {
    const failure = this.failures.find(
      (f) => (f.target === target || f.target === 'any') && (!f.instance || f.instance === instance),
    );
    if (!failure) return undefined;
    if (--failure.remaining <= 0) this.failures = this.failures.filter((f) => f !== failure);
    return errors.injected(failure.status, failure.retryAfter);
  }

  /** How to break this successful answer, if a fault is due. */
  takeMalformed(target: 'api' | 'token', instance: string): MalformedKind | undefined {
    const fault = this.malformed.find((m) => m.target === target && (!m.instance || m.instance === instance));
    if (!fault) return undefined;
    if (fault.after > 0) {
      fault.after--;
      return undefined;
    }
    if (--fault.remaining <= 0) this.malformed = this.malformed.filter((m) => m !== fault);
    return fault.kind;
  }

  reset(): void {
    this.failures = [];
    this.malformed = [];
  }
}

/** The answer broken as `kind` says (`repeat-page` is made by the caller, which knows the pages). */
export function malform(result: ApiResult, kind: Exclude<MalformedKind, 'repeat-page'>): ApiResult {
  if (kind === 'html') {
    return {
      status: 200,
      headers: { 'Content-Type': 'text/html;charset=UTF-8' },
      text: '<!DOCTYPE html><html><head><title>Jamf Pro</title></head><body><p>Jamf Pro is starting up. Please wait…</p></body></html>\n',
      resultCount: 0,
    };
  }
  if (kind === 'truncated') {
    const text = JSON.stringify(result.json);
    return { ...result, json: undefined, text: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
  }
  return {
    ...result,
    headers: { 'Content-Type': JSON_TYPE, ...result.headers },
    json: wrongShape(result.json),
  };
}

/** Plausible JSON that is not what the endpoint promises. */
function wrongShape(json: unknown): unknown {
  const body = json as Record<string, unknown> | undefined;
  if (body && 'results' in body)
    return { totalCount: String(body.totalCount), results: { items: body.results } };
  if (body && 'access_token' in body)
    return { token: body.access_token, expires: '2026-11-20T12:30:00.000Z' };
  return { unexpected: true, data: body ?? null };
}

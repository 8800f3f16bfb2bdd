/**
 * `POST /v1.0/$batch` (microsoft-graph-docs-contrib `concepts/json-batching.md`): up to 20 requests with a
 * relative `url`, answered `{responses: [{id, status, headers, body}]}` in an order of the fake's choosing,
 * so clients must match answers by `id`. The batch itself needs a valid token; each inner request is then
 * checked, counted against throttling and logged on its own, and may fail alone (429 with `Retry-After` in
 * its headers). `dependsOn` is honoured: a request whose dependency failed gets 424.
 */
import type { TokenCheck } from './access-tokens.ts';
import { answerGraph, bearerToken, type GraphContext, unauthenticated } from './graph.ts';
import { type GraphRequestInfo, type GraphResult, graphErrors, ODATA_CONTENT_TYPE } from './graph-errors.ts';
import type { RequestLog } from './request-log.ts';
import type { BatchOrder, FakeLogEntry } from './types.ts';

export const MAX_BATCH_REQUESTS = 20;

interface BatchRequest {
  id: string;
  method: string;
  url: string;
  dependsOn: string[];
}

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface BatchCall {
  body: string;
  authorization: string | undefined;
  info: GraphRequestInfo;
  entry: FakeLogEntry;
  /** A fresh request id for each inner request. */
  innerInfo: () => GraphRequestInfo;
}

export interface BatchContext extends GraphContext {
  log: RequestLog;
  order: () => BatchOrder;
}

export function answerBatch(call: BatchCall, context: BatchContext): GraphResult {
  call.entry.operation = 'batch';
  const failure = context.faults.takeFailure('api');
  if (failure) {
    call.entry.injected = 'fail';
    return graphErrors.status(call.info, failure.status, failure.retryAfter);
  }
  const auth = context.tokens.check(bearerToken(call.authorization));
  if (!auth.ok) return unauthenticated(call.info, auth.reason);
  call.entry.tenantId = auth.tenant.id;
  call.entry.clientId = auth.clientId;
  const requests = parseBatch(call.body);
  if (typeof requests === 'string') return graphErrors.badQuery(call.info, requests);
  const responses = runInOrder(requests, auth, call, context);
  const result: GraphResult = {
    status: 200,
    headers: { 'Content-Type': ODATA_CONTENT_TYPE, 'OData-Version': '4.0' },
    json: { responses: arrange(responses, context.order(), call.entry.seq) },
    resultCount: responses.length,
  };
  return result;
}

/** The requests, or the message of Graph's 400 for a malformed batch. */
function parseBatch(body: string): BatchRequest[] | string {
  const invalid = 'Invalid batch payload format.';
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return invalid;
  }
  const list = (payload as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(list) || list.length === 0) return invalid;
  if (list.length > MAX_BATCH_REQUESTS)
    return `The number of requests in a batch is limited to ${MAX_BATCH_REQUESTS}; this one has ${list.length}.`;
  const requests: BatchRequest[] = [];
  const seen = new Set<string>();
  for (const raw of list as Record<string, unknown>[]) {
    if (typeof raw?.id !== 'string' || typeof raw.method !== 'string' || typeof raw.url !== 'string')
      return invalid;
    const key = raw.id.toLowerCase();
    if (seen.has(key)) return `Batch request contains a duplicate request id: '${raw.id}'.`;
    const dependsOn = Array.isArray(raw.dependsOn) ? raw.dependsOn.map(String) : [];
    const unknown = dependsOn.find((id) => !seen.has(id.toLowerCase()));
    if (unknown !== undefined)
      return `Request '${raw.id}' depends on '${unknown}', which does not come before it.`;
    seen.add(key);
    requests.push({ id: raw.id, method: raw.method.toUpperCase(), url: raw.url, dependsOn });
  }
  return requests;
}

function runInOrder(
  requests: BatchRequest[],
  auth: Extract<TokenCheck, { ok: true }>,
  call: BatchCall,
  context: BatchContext,
): BatchResponse[] {
  const statusById = new Map<string, number>();
  return requests.map((request) => {
    const info = call.innerInfo();
    const failedDependency = request.dependsOn.some((id) => (statusById.get(id.toLowerCase()) ?? 0) >= 400);
    const result = failedDependency
      ? graphErrors.status(info, 424, null)
      : runOne(request, auth, call.entry.seq, info, context);
    statusById.set(request.id.toLowerCase(), result.status);
    return {
      id: request.id,
      status: result.status,
      headers: { 'Cache-Control': 'no-cache', ...withoutLength(result.headers) },
      body: result.json ?? result.text,
    };
  });
}

function runOne(
  request: BatchRequest,
  auth: Extract<TokenCheck, { ok: true }>,
  batchSeq: number,
  info: GraphRequestInfo,
  context: BatchContext,
): GraphResult {
  const queryAt = request.url.indexOf('?');
  const target = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
  const params = new URLSearchParams(queryAt < 0 ? '' : request.url.slice(queryAt + 1));
  const path = `/v1.0/${target.replace(/^\//, '')}`;
  const entry = context.log.add({
    method: request.method,
    path,
    params,
    kind: 'api',
    operation: 'unknown',
    inner: true,
    batchSeq,
    batchRequestId: request.id,
  });
  const started = performance.now();
  const result = /^[a-z]+:\/\//i.test(target)
    ? graphErrors.badQuery(info, 'Batch request urls must be relative to the service root.')
    : answerGraph(
        { method: request.method, path, params, authorization: undefined, info, entry, batchAuth: auth },
        context,
      );
  entry.status = result.status;
  entry.durationMs = performance.now() - started;
  if (result.error) entry.error = result.error;
  if (result.resultCount !== undefined) entry.resultCount = result.resultCount;
  return result;
}

function withoutLength(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (name.toLowerCase() !== 'content-length') out[name] = value;
  return out;
}

/** Responses in the configured order; `shuffled` is a fixed permutation per batch, so runs repeat. */
function arrange(responses: BatchResponse[], order: BatchOrder, seed: number): BatchResponse[] {
  if (order === 'request') return responses;
  if (order === 'reversed') return [...responses].reverse();
  const shuffled = [...responses];
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = shuffled.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled;
}

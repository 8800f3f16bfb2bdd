/**
 * The Graph side (standing in for https://graph.microsoft.com under the fake's `graphPath`): single requests
 * and `$batch`, each answer carrying Graph's `request-id` / `client-request-id` headers.
 */
import { randomUUID } from 'node:crypto';
import { answerBatch, type BatchContext } from './batch.ts';
import { answerGraph } from './graph.ts';
import { type GraphRequestInfo, type GraphResult, graphErrors } from './graph-errors.ts';
import type { Answer } from './http-io.ts';
import type { IntuneState } from './state.ts';
import type { FakeLogEntry } from './types.ts';

export interface GraphHttpRequest {
  method: string;
  /** Below the Graph root: `/v1.0/deviceManagement/managedDevices`. */
  path: string;
  params: URLSearchParams;
  headers: Map<string, string>;
  body: string;
}

const DIAGNOSTIC = JSON.stringify({
  ServerInfo: {
    DataCenter: 'Loopback',
    Slice: 'E',
    Ring: '0',
    ScaleUnit: '000',
    RoleInstance: 'FAKEINTUNE01',
  },
});

export function isBatchPath(path: string): boolean {
  return /^\/[^/]+\/\$batch$/.test(path);
}

export function answerGraphRequest(
  state: IntuneState,
  request: GraphHttpRequest,
  entry: FakeLogEntry,
): Answer {
  const clientRequestId = request.headers.get('client-request-id');
  const infoFor = (): GraphRequestInfo => {
    const requestId = randomUUID();
    return { requestId, clientRequestId: clientRequestId ?? requestId, at: state.now() };
  };
  const info = infoFor();
  const context = batchContext(state);
  let result: GraphResult;
  if (isBatchPath(request.path)) {
    result =
      request.method === 'POST'
        ? answerBatch(
            {
              body: request.body,
              authorization: request.headers.get('authorization'),
              info,
              entry,
              innerInfo: infoFor,
            },
            context,
          )
        : graphErrors.methodNotAllowed(info);
  } else {
    result = answerGraph(
      {
        method: request.method,
        path: request.path,
        params: request.params,
        authorization: request.headers.get('authorization'),
        info,
        entry,
      },
      context,
    );
  }
  if (result.error) entry.error = result.error;
  if (result.resultCount !== undefined) entry.resultCount = result.resultCount;
  return {
    status: result.status,
    headers: {
      'Cache-Control': 'no-cache',
      'request-id': info.requestId,
      'client-request-id': info.clientRequestId,
      'x-ms-ags-diagnostic': DIAGNOSTIC,
      ...result.headers,
    },
    ...(result.text !== undefined ? { text: result.text } : { json: result.json }),
  };
}

function batchContext(state: IntuneState): BatchContext {
  return {
    tokens: state.tokens,
    throttle: state.throttle,
    faults: state.faults,
    now: () => state.now(),
    settings: () => state.settings,
    graphRoot: () => state.graphRoot,
    log: state.log,
    order: () => state.settings.batchOrder,
  };
}

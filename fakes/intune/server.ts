/**
 * The fake's HTTP server on loopback. One origin serves both sides, at the paths a client builds from
 * `MICROSOFT_LOGIN_URL` and `MICROSOFT_GRAPH_URL`: `/{tenant}/oauth2/v2.0/token` and `/{tenant}/adminconsent`
 * at the root, Graph's `/v1.0/…` under `graphPath` (default `/graph`), the control API under `/__fake`.
 * Every request is logged; each answer waits at least `latencyMs` from its arrival.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerMap, listenOnLoopback, readBody } from '../shared/loopback.ts';
import { answerControl } from './control.ts';
import { answerOpenIdConfiguration } from './discovery.ts';
import { answerGraphRequest, isBatchPath } from './graph-routes.ts';
import { createHandle, type FakeIntune } from './handle.ts';
import { errorPage } from './html.ts';
import { type Answer, encode, send } from './http-io.ts';
import { answerConsentDecision, answerConsentPage, answerToken } from './login-routes.ts';
import { IntuneState } from './state.ts';
import type { FakeIntuneOptions, FakeLogEntry, RequestKind } from './types.ts';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

type Target =
  | { kind: 'graph'; path: string }
  | { kind: 'token'; tenant: string }
  | { kind: 'consent'; tenant: string }
  | { kind: 'discovery'; tenant: string }
  | { kind: 'other' };

export async function startFakeIntune(options: FakeIntuneOptions = {}): Promise<FakeIntune> {
  const state = new IntuneState(options);
  let fake: FakeIntune | undefined;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = req.method ?? 'GET';
    const headers = headerMap(req);
    const path = decoded(url.pathname);
    let body: string;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch {
      send(res, encode({ status: 413, headers: {}, text: 'Request body too large' }, undefined, false));
      return;
    }
    if (path === '/__fake' || path.startsWith('/__fake/')) {
      send(res, encode(answerControl(fake!, method, path, body), undefined, false));
      return;
    }
    const target = targetOf(path, state.graphPath);
    const entry = state.log.add({
      method,
      path: target.kind === 'graph' ? target.path : path,
      params: url.searchParams,
      kind: kindOf(target),
      operation: initialOperation(target, method),
    });
    let answer: Answer;
    try {
      answer = dispatch(target, method, url.searchParams, headers, body, entry);
    } catch (error) {
      answer = {
        status: 500,
        headers: {},
        text: `Fake Intune crashed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const wire = encode(answer, headers.get('accept-encoding'), state.settings.gzip);
    const wait = state.settings.latencyMs - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    entry.status = answer.status;
    entry.durationMs = performance.now() - started;
    send(res, wire);
  };

  const dispatch = (
    target: Target,
    method: string,
    params: URLSearchParams,
    headers: Map<string, string>,
    body: string,
    entry: FakeLogEntry,
  ): Answer => {
    switch (target.kind) {
      case 'graph':
        return answerGraphRequest(state, { method, path: target.path, params, headers, body }, entry);
      case 'token':
        return answerToken(state, target.tenant, { method, headers, body }, entry);
      case 'discovery':
        return answerOpenIdConfiguration(state, target.tenant, entry);
      case 'consent':
        return method === 'POST'
          ? answerConsentDecision(state, body, entry)
          : answerConsentPage(state, target.tenant, params, entry);
      default:
        return {
          status: 404,
          headers: { 'Content-Type': 'text/html; charset=utf-8' },
          text: errorPage(900561, 'The requested address is not served by this fake.'),
        };
    }
  };

  const { server, origin, port } = await listenOnLoopback(route, options);
  state.origin = origin;
  fake = createHandle(state, server, port);
  return fake;
}

function decoded(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function targetOf(path: string, graphPath: string): Target {
  if (graphPath ? path === graphPath || path.startsWith(`${graphPath}/`) : /^\/(v1\.0|beta)(\/|$)/.test(path))
    return { kind: 'graph', path: path.slice(graphPath.length) || '/' };
  const segments = path.split('/').filter(Boolean);
  const [tenant, ...rest] = segments;
  if (!tenant) return { kind: 'other' };
  const tail = rest.join('/');
  if (tail === 'oauth2/v2.0/token') return { kind: 'token', tenant };
  if (tail === 'adminconsent' || tail === 'v2.0/adminconsent') return { kind: 'consent', tenant };
  if (tail === 'v2.0/.well-known/openid-configuration') return { kind: 'discovery', tenant };
  return { kind: 'other' };
}

function kindOf(target: Target): RequestKind {
  if (target.kind === 'graph') return isBatchPath(target.path) ? 'batch' : 'api';
  if (target.kind === 'other') return 'other';
  return target.kind;
}

function initialOperation(target: Target, method: string): string {
  switch (target.kind) {
    case 'token':
      return 'token';
    case 'consent':
      return method === 'POST' ? 'consent.decide' : 'consent.page';
    case 'discovery':
      return 'openid-configuration';
    case 'graph':
      return isBatchPath(target.path) ? 'batch' : 'unknown';
    default:
      return 'unknown';
  }
}

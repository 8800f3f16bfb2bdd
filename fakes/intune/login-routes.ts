/**
 * The login side (standing in for https://login.microsoftonline.com): the token endpoint and the admin
 * consent page with the form it posts back to.
 */
import { PAGE_HEADERS } from '../shared/html.ts';
import type { ConsentRequest } from './admin-consent.ts';
import { type EntraError, entraErrorBody, entraErrors } from './entra-errors.ts';
import { consentPage, errorPage } from './html.ts';
import type { Answer } from './http-io.ts';
import type { IntuneState } from './state.ts';
import { requestToken } from './token-endpoint.ts';
import type { FakeLogEntry } from './types.ts';

const TOKEN_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store, no-cache',
  Pragma: 'no-cache',
};

export function answerToken(
  state: IntuneState,
  tenantKey: string,
  request: { method: string; headers: Map<string, string>; body: string },
  entry: FakeLogEntry,
): Answer {
  const correlationId = request.headers.get('client-request-id');
  const refuse = (failure: EntraError): Answer => {
    entry.error = failure.error;
    return {
      status: failure.status,
      headers: TOKEN_HEADERS,
      json: entraErrorBody(failure, state.now(), correlationId),
    };
  };
  if (request.method !== 'POST') return refuse(entraErrors.onlyPost(request.method));
  const form = new URLSearchParams(request.body);
  entry.clientId = form.get('client_id')?.toLowerCase();
  const injected = state.faults.takeFailure('token');
  if (injected) {
    entry.injected = 'fail';
    const answer = refuse(entraErrors.injected(injected.status));
    if (injected.retryAfter !== null)
      answer.headers = { ...answer.headers, 'Retry-After': String(injected.retryAfter) };
    return answer;
  }
  const outcome = requestToken(tenantKey, form, {
    directory: state.directory,
    tokens: state.tokens,
    used: state.used,
    now: () => state.now(),
    loginOrigins: () => state.loginOrigins(),
    unknownTenantError: state.unknownTenantError,
  });
  entry.clientAuth = outcome.clientAuth;
  if (outcome.tenantId) entry.tenantId = outcome.tenantId;
  if (!outcome.ok) return refuse(outcome.failure);
  return { status: 200, headers: TOKEN_HEADERS, json: outcome.body };
}

function html(status: number, body: string, extra: Record<string, string> = {}): Answer {
  return {
    status,
    headers: { ...PAGE_HEADERS, ...extra },
    text: body,
  };
}

function redirect(location: string): Answer {
  return html(
    302,
    `<html><body>Object moved to <a href="${location.replace(/"/g, '&quot;')}">here</a>.</body></html>`,
    {
      Location: location,
    },
  );
}

export function answerConsentPage(
  state: IntuneState,
  tenantKey: string,
  params: URLSearchParams,
  entry: FakeLogEntry,
): Answer {
  entry.clientId = params.get('client_id')?.toLowerCase();
  const validation = state.consent.validate(tenantKey, params);
  if (validation.kind === 'page') {
    entry.error = `AADSTS${validation.code}`;
    return html(validation.status, errorPage(validation.code, validation.message));
  }
  const request = validation.request;
  if (request.tenant) entry.tenantId = request.tenant.id;
  const defaultTenant = state.directory.tenants.values().next().value;
  return html(
    200,
    consentPage({
      appName: request.app.displayName,
      clientId: request.app.clientId,
      permissions: request.app.permissions,
      tenantName: request.tenant?.name,
      suggestedTenant: defaultTenant?.domains[0] ?? defaultTenant?.id ?? '',
      requestId: state.consent.open(request),
      action: `/${encodeURIComponent(tenantKey)}/adminconsent`,
    }),
  );
}

export function answerConsentDecision(state: IntuneState, body: string, entry: FakeLogEntry): Answer {
  entry.operation = 'consent.decide';
  const form = new URLSearchParams(body);
  const request: ConsentRequest | undefined = state.consent.take(form.get('rid') ?? '');
  if (!request) {
    entry.error = 'AADSTS90023';
    return html(
      400,
      errorPage(90023, 'This consent request has expired or was already answered. Start again from the app.'),
    );
  }
  entry.clientId = request.app.clientId;
  const decision = state.consent.decide(
    request,
    form.get('decision') === 'accept',
    form.get('tenant') ?? undefined,
  );
  if (decision.kind === 'page') {
    entry.error = `AADSTS${decision.code}`;
    return html(decision.status, errorPage(decision.code, decision.message));
  }
  return redirect(decision.url);
}

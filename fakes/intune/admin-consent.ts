/**
 * Admin consent for a multi-tenant app: `GET /{tenant|organizations|common}/adminconsent?client_id&state&
 * redirect_uri` (also `/{tenant}/v2.0/adminconsent`). A bad client or redirect URI gets an error page, never a
 * redirect. Accepting grants the app's permissions in the tenant and redirects with `tenant`, `state` and
 * `admin_consent=True`; cancelling redirects with `error=access_denied` and an AADSTS65004 description — and,
 * as observed (azure-docs#114009), still `admin_consent=True` and no `tenant`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppRegistration, Directory, Tenant } from './directory.ts';
import { entraTimestamp } from './entra-errors.ts';

export interface ConsentRequest {
  app: AppRegistration;
  redirectUri: string;
  state: string | null;
  /** The tenant the URL names; undefined for `common`/`organizations`, where the admin's tenant decides. */
  tenant: Tenant | undefined;
}

export interface ConsentErrorPage {
  kind: 'page';
  status: number;
  code: number;
  message: string;
}

export type ConsentValidation = { kind: 'ok'; request: ConsentRequest } | ConsentErrorPage;
export type ConsentDecision = { kind: 'redirect'; url: string } | ConsentErrorPage;

const PENDING_LIFETIME_MS = 30 * 60_000;
const page = (status: number, code: number, message: string): ConsentErrorPage => ({
  kind: 'page',
  status,
  code,
  message,
});

export class AdminConsent {
  private readonly pending = new Map<string, { request: ConsentRequest; expiresAt: number }>();
  private readonly directory: Directory;
  private readonly now: () => number;

  constructor(directory: Directory, now: () => number) {
    this.directory = directory;
    this.now = now;
  }

  validate(tenantKey: string, params: URLSearchParams): ConsentValidation {
    const lower = tenantKey.toLowerCase();
    const anyTenant = lower === 'common' || lower === 'organizations';
    const tenant = anyTenant ? undefined : this.directory.find(tenantKey);
    if (!anyTenant && !tenant)
      return page(
        400,
        90002,
        `Tenant '${tenantKey}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    const clientId = params.get('client_id');
    if (!clientId)
      return page(400, 900144, "The request body must contain the following parameter: 'client_id'.");
    const app = this.directory.app(clientId);
    if (!app || (tenant && !mayConsent(app, tenant))) return appNotFound(clientId, tenant?.name ?? tenantKey);
    const redirectUri = params.get('redirect_uri');
    if (!redirectUri) return page(400, 900971, 'No reply address provided.');
    if (!app.redirectUris.includes(redirectUri))
      return page(
        400,
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
      );
    return { kind: 'ok', request: { app, redirectUri, state: params.get('state'), tenant } };
  }

  /** Keeps the request for the form to come back to; returns its id. */
  open(request: ConsentRequest): string {
    const now = this.now();
    for (const [id, held] of this.pending) if (held.expiresAt < now) this.pending.delete(id);
    const id = randomBytes(16).toString('base64url');
    this.pending.set(id, { request, expiresAt: now + PENDING_LIFETIME_MS });
    return id;
  }

  take(id: string): ConsentRequest | undefined {
    const held = this.pending.get(id);
    this.pending.delete(id);
    return held && held.expiresAt >= this.now() ? held.request : undefined;
  }

  /** `tenantKey` picks the organisation when the URL did not (`common`/`organizations`). */
  decide(request: ConsentRequest, accept: boolean, tenantKey: string | undefined): ConsentDecision {
    if (!accept) return { kind: 'redirect', url: this.declined(request) };
    const tenant = request.tenant ?? (tenantKey ? this.directory.find(tenantKey) : undefined);
    if (!tenant) return page(400, 90002, `Tenant '${tenantKey ?? ''}' not found.`);
    if (!mayConsent(request.app, tenant)) return appNotFound(request.app.clientId, tenant.name);
    this.directory.consent(tenant, request.app);
    return {
      kind: 'redirect',
      url: withParams(request.redirectUri, [
        ['tenant', tenant.id],
        ...(request.state === null ? [] : [['state', request.state] as [string, string]]),
        ['admin_consent', 'True'],
      ]),
    };
  }

  private declined(request: ConsentRequest): string {
    const timestamp = entraTimestamp(this.now());
    const description = `AADSTS65004: User declined to consent to access the app.\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${timestamp}`;
    return withParams(request.redirectUri, [
      ['error', 'access_denied'],
      ['error_description', description],
      ['error_uri', 'https://login.microsoftonline.com/error?code=65004'],
      ['admin_consent', 'True'],
      ...(request.state === null ? [] : [['state', request.state] as [string, string]]),
    ]);
  }
}

/** A single-tenant app can only be consented to in its home tenant. */
function mayConsent(app: AppRegistration, tenant: Tenant): boolean {
  return app.multiTenant || app.homeTenantId === tenant.id;
}

function appNotFound(clientId: string, tenantName: string): ConsentErrorPage {
  return page(
    400,
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );
}

function withParams(base: string, params: [string, string][]): string {
  const url = new URL(base);
  for (const [name, value] of params) url.searchParams.append(name, value);
  return url.toString();
}

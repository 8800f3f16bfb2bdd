/**
 * `POST /{tenant}/oauth2/v2.0/token` with `grant_type=client_credentials` (entra-docs
 * `v2-oauth2-client-creds-grant-flow.md`): the tenant by ID or domain, `scope` exactly Graph's `.default`,
 * and the client proven by a secret or a certificate-signed assertion. Answers `{token_type, expires_in,
 * ext_expires_in, access_token}`, no refresh token.
 */
import type { AccessTokens } from './access-tokens.ts';
import { checkClientAssertion, JWT_BEARER_ASSERTION_TYPE, type UsedAssertions } from './client-assertion.ts';
import {
  type AppRegistration,
  type Directory,
  isGuid,
  type ServicePrincipal,
  type Tenant,
} from './directory.ts';
import { type EntraError, entraErrors } from './entra-errors.ts';

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

export interface TokenEndpointContext {
  directory: Directory;
  tokens: AccessTokens;
  used: UsedAssertions;
  now: () => number;
  /** Login origins whose token URL is a valid assertion audience (the fake's and Microsoft's). */
  loginOrigins: () => string[];
  /** `error` for an unknown tenant: `invalid_request` (token endpoint) or `invalid_tenant` (newer discovery). */
  unknownTenantError: 'invalid_request' | 'invalid_tenant';
}

export type ClientAuth = 'secret' | 'assertion' | 'none';

export type TokenOutcome =
  | {
      ok: true;
      body: { token_type: 'Bearer'; expires_in: number; ext_expires_in: number; access_token: string };
      tenantId: string;
      clientId: string;
      clientAuth: ClientAuth;
    }
  | { ok: false; failure: EntraError; tenantId?: string; clientId?: string; clientAuth: ClientAuth };

export function requestToken(
  tenantKey: string,
  form: URLSearchParams,
  context: TokenEndpointContext,
): TokenOutcome {
  const clientAuth: ClientAuth = form.has('client_assertion')
    ? 'assertion'
    : form.has('client_secret')
      ? 'secret'
      : 'none';
  const tenant = resolveTenant(tenantKey, context);
  if ('failure' in tenant) return { ok: false, failure: tenant.failure, clientAuth };
  const clientId = form.get('client_id')?.toLowerCase();
  const refusal = (failure: EntraError): TokenOutcome => ({
    ok: false,
    failure,
    tenantId: tenant.id,
    ...(clientId ? { clientId } : {}),
    clientAuth,
  });
  const requestFailure = checkRequest(form, tenant);
  if (requestFailure) return refusal(requestFailure);
  const app = context.directory.app(clientId!);
  const principal = app && context.directory.servicePrincipal(tenant, app.clientId);
  if (!app || !principal) return refusal(entraErrors.appNotFound(form.get('client_id')!, tenant.name));
  const credentialFailure = checkCredential(form, app, tenant, context);
  if (credentialFailure) return refusal(credentialFailure);
  return grant(tenant, principal, clientAuth, context);
}

function resolveTenant(key: string, context: TokenEndpointContext): Tenant | { failure: EntraError } {
  const lower = key.toLowerCase();
  if (lower === 'common' || lower === 'consumers') return { failure: entraErrors.commonEndpoint() };
  if (lower === 'organizations') return { failure: entraErrors.noTenantInformation() };
  if (!isGuid(key) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(key))
    return { failure: entraErrors.invalidTenantName(key) };
  return (
    context.directory.find(key) ?? { failure: entraErrors.tenantNotFound(key, context.unknownTenantError) }
  );
}

function checkRequest(form: URLSearchParams, tenant: Tenant): EntraError | undefined {
  const grantType = form.get('grant_type');
  if (!grantType) return entraErrors.missingParameter('grant_type');
  if (grantType !== 'client_credentials') return entraErrors.unsupportedGrantType(grantType);
  if (!form.get('client_id')) return entraErrors.missingParameter('client_id');
  const scope = form.get('scope');
  if (!scope) return entraErrors.missingParameter('scope');
  return checkScope(scope.trim(), tenant);
}

/** Only Graph's `.default` is issued; the other shapes fail as Entra's do. */
function checkScope(scope: string, tenant: Tenant): EntraError | undefined {
  if (scope.toLowerCase() === GRAPH_DEFAULT_SCOPE) return undefined;
  if (/\s/.test(scope)) return entraErrors.invalidScope(scope);
  if (scope.endsWith('/.default')) return entraErrors.resourceNotFound(scope.slice(0, -9), tenant.name);
  if (scope.toLowerCase().startsWith('https://graph.microsoft.com/'))
    return entraErrors.scopeWithoutDefault(scope);
  return entraErrors.invalidScope(scope);
}

function checkCredential(
  form: URLSearchParams,
  app: AppRegistration,
  tenant: Tenant,
  context: TokenEndpointContext,
): EntraError | undefined {
  const assertion = form.get('client_assertion');
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== JWT_BEARER_ASSERTION_TYPE)
      return entraErrors.invalidAssertionType();
    return checkClientAssertion(assertion, {
      app,
      audiences: tokenUrls(tenant, context.loginOrigins()),
      now: context.now(),
      used: context.used,
    });
  }
  const secret = form.get('client_secret');
  if (secret === null) return entraErrors.missingCredential();
  const match = app.secrets.find((candidate) => candidate.value === secret);
  if (!match) return entraErrors.invalidSecret(app.clientId);
  if (match.expiresAt !== undefined && match.expiresAt <= context.now())
    return entraErrors.expiredSecret(app.clientId);
  return undefined;
}

/** The token URL under every name of the tenant, lower-cased for comparison. */
function tokenUrls(tenant: Tenant, origins: string[]): string[] {
  const urls: string[] = [];
  for (const origin of origins)
    for (const name of [tenant.id, ...tenant.domains])
      urls.push(`${origin}/${name}/oauth2/v2.0/token`.toLowerCase());
  return urls;
}

function grant(
  tenant: Tenant,
  principal: ServicePrincipal,
  clientAuth: ClientAuth,
  context: TokenEndpointContext,
): TokenOutcome {
  const accessToken = context.tokens.issue(tenant, principal, clientAuth === 'assertion');
  const lifetime = context.tokens.lifetimeSeconds;
  return {
    ok: true,
    body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken },
    tenantId: tenant.id,
    clientId: principal.clientId,
    clientAuth,
  };
}

/**
 * `GET /{tenant}/v2.0/.well-known/openid-configuration`: the tenant's OpenID Connect metadata, the public,
 * unauthenticated way to learn a tenant's ID from one of its domains (`issuer` and the endpoints name the
 * tenant by ID). The multi-tenant names (`common`, `organizations`, `consumers`) answer with the `{tenantid}`
 * placeholder Entra puts there; an unknown tenant is AADSTS90002 with `invalid_tenant`, as discovery answers it.
 */
import { isGuid } from './directory.ts';
import { entraErrorBody, entraErrors } from './entra-errors.ts';
import type { Answer } from './http-io.ts';
import type { IntuneState } from './state.ts';
import type { FakeLogEntry } from './types.ts';

const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

export function answerOpenIdConfiguration(
  state: IntuneState,
  tenantKey: string,
  entry: FakeLogEntry,
): Answer {
  const lower = tenantKey.toLowerCase();
  const refuse = (failure: ReturnType<typeof entraErrors.tenantNotFound>): Answer => {
    entry.error = failure.error;
    return {
      status: failure.status,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      json: entraErrorBody(failure, state.now()),
    };
  };
  if (!MULTI_TENANT.has(lower) && !isGuid(tenantKey) && !DOMAIN.test(tenantKey))
    return refuse(entraErrors.invalidTenantName(tenantKey));
  const tenant = MULTI_TENANT.has(lower) ? undefined : state.directory.find(tenantKey);
  if (!MULTI_TENANT.has(lower) && !tenant)
    return refuse(entraErrors.tenantNotFound(tenantKey, 'invalid_tenant'));
  if (tenant) entry.tenantId = tenant.id;
  const id = tenant?.id ?? '{tenantid}';
  const base = `${state.origin}/${tenant?.id ?? lower}`;
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'max-age=86400, private' },
    json: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${state.origin}/${id}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      tenant_region_scope: 'NA',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    },
  };
}

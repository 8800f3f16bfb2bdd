/**
 * Microsoft Entra ID's token-endpoint error bodies: `{error, error_description, error_codes, timestamp,
 * trace_id, correlation_id, error_uri}`, where the description starts with `AADSTS<code>: ` and ends with the
 * trace and correlation IDs and the time (entra-docs `reference-error-codes.md`; bodies quoted in issues).
 */
import { randomUUID } from 'node:crypto';

export interface EntraError {
  status: number;
  /** OAuth error (`invalid_client`, `invalid_scope`, …): what clients should branch on. */
  error: string;
  code: number;
  message: string;
}

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

/** Entra's timestamp format: `2023-05-06 06:03:00Z`. */
export function entraTimestamp(at: number): string {
  return `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The wire body; `correlationId` echoes the client's `client-request-id` as Entra does. */
export function entraErrorBody(failure: EntraError, at: number, correlationId?: string): EntraErrorBody {
  const timestamp = entraTimestamp(at);
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  return {
    error: failure.error,
    error_description: `AADSTS${failure.code}: ${failure.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${failure.code}`,
  };
}

const fail = (status: number, error: string, code: number, message: string): EntraError => ({
  status,
  error,
  code,
  message,
});

const CERTIFICATE_HELP =
  'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .';

/** The failures the fake produces, each with Entra's code and wording. */
export const entraErrors = {
  onlyPost: (method: string) =>
    fail(
      400,
      'invalid_request',
      900561,
      `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`,
    ),
  missingParameter: (name: string) =>
    fail(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  tenantNotFound: (tenant: string, error: 'invalid_request' | 'invalid_tenant') =>
    fail(
      400,
      error,
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  invalidTenantName: (tenant: string) =>
    fail(
      400,
      'invalid_request',
      900023,
      `Specified tenant identifier '${tenant}' is neither a valid DNS name, nor a valid external domain.`,
    ),
  commonEndpoint: () =>
    fail(
      400,
      'invalid_request',
      9001023,
      'The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.',
    ),
  noTenantInformation: () =>
    fail(
      400,
      'invalid_request',
      50059,
      'No tenant-identifying information found in either the request or implied by any provided credentials.',
    ),
  unsupportedGrantType: (grantType: string) =>
    fail(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`),
  invalidScope: (scope: string) =>
    fail(
      400,
      'invalid_scope',
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  scopeWithoutDefault: (scope: string) =>
    fail(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  resourceNotFound: (resource: string, tenant: string) =>
    fail(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  appNotFound: (clientId: string, tenantName: string) =>
    fail(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  missingCredential: () =>
    fail(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  invalidSecret: (clientId: string) =>
    fail(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  expiredSecret: (clientId: string) =>
    fail(
      401,
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    ),
  invalidAssertionType: () =>
    fail(400, 'invalid_request', 90100, "The parameter 'client_assertion_type' is empty or not valid."),
  malformedAssertion: (reason: string) => fail(401, 'invalid_client', 50027, `Invalid JWT token. ${reason}`),
  certificateNotRegistered: (thumbprint: string, clientId: string) =>
    fail(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. ${CERTIFICATE_HELP}]`,
    ),
  badSignature: (thumbprint: string, validity: string) =>
    fail(
      401,
      'invalid_client',
      700027,
      `Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}', Found key '${validity}'] ${CERTIFICATE_HELP}`,
    ),
  expiredCertificate: (thumbprint: string, validity: string) =>
    fail(
      401,
      'invalid_client',
      700027,
      `Client assertion failed signature validation. [Reason - The key used is expired., Thumbprint of key used by client: '${thumbprint}', Found key '${validity}'] ${CERTIFICATE_HELP}`,
    ),
  assertionIssuer: () =>
    fail(
      401,
      'invalid_client',
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter. ${CERTIFICATE_HELP}`,
    ),
  assertionSubject: () =>
    fail(401, 'invalid_client', 50048, 'Subject mismatches Issuer claim in the client assertion.'),
  assertionAudience: (audience: string) =>
    fail(
      401,
      'invalid_client',
      50027,
      `Invalid JWT token. The audience '${audience}' of the client assertion is not this tenant's token endpoint.`,
    ),
  assertionTime: (now: string, from: string, expiry: string) =>
    fail(
      401,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${now}, assertion valid from ${from}, expiry time of assertion ${expiry}. ${CERTIFICATE_HELP}`,
    ),
  assertionReplayed: (jti: string) =>
    fail(
      401,
      'invalid_client',
      50027,
      `Invalid JWT token. The client assertion with jti '${jti}' has already been used.`,
    ),
  /** A scheduled failure: Entra's throttling or outage answer for 429/5xx, a generic refusal otherwise. */
  injected: (status: number) =>
    status === 429
      ? fail(429, 'temporarily_unavailable', 90055, 'There are too many incoming requests. Try again later.')
      : status >= 500
        ? fail(status, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.')
        : fail(
            status,
            status === 401 ? 'invalid_client' : 'invalid_request',
            90023,
            'The authentication service request is not valid.',
          ),
};

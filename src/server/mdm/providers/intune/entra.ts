import type { TextResponse } from '../../http/request.ts';
import type { ClassifiedFailure } from '../../http/retry.ts';
import { isNetworkFailure, isObject, jsonOf, retryAfterOf } from './answers.ts';

/** Who asked Microsoft Entra ID for a token, for messages that say what to fix. */
export interface TokenRequester {
  /** The tenant as the district named it. */
  tenant: string;
  clientId: string;
  /** Satchel's own app (admin consent), or an app registration the district pasted. */
  hostedApp: boolean;
}

/**
 * Microsoft Entra ID refused a request (the token endpoint, or discovery). Its body is
 * `{error, error_description, error_codes: [AADSTS number], …}`; Satchel branches on the numbers and the
 * status, never on the description's words.
 */
export class EntraRefusal extends Error {
  readonly status: number;
  readonly codes: readonly number[];
  readonly retryAfterMs: number | undefined;

  constructor(response: TextResponse, requester: Pick<TokenRequester, 'tenant'> & Partial<TokenRequester>) {
    const body = jsonOf(response);
    const error = isObject(body) && typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
    const codes =
      isObject(body) && Array.isArray(body.error_codes)
        ? body.error_codes.filter((code): code is number => typeof code === 'number')
        : [];
    super(explain(codes, error, requester));
    this.status = response.status;
    this.codes = codes;
    this.retryAfterMs = retryAfterOf(response.headers);
  }
}

const CERTIFICATE_CODES = new Set([700027]);
const ASSERTION_CODES = new Set([50027, 700021, 50048, 90100]);

/** What the refusal means, in words that say what to fix. */
function explain(
  codes: readonly number[],
  error: string,
  requester: Pick<TokenRequester, 'tenant'> & Partial<TokenRequester>,
): string {
  const { tenant, clientId = 'the app', hostedApp = false } = requester;
  const code = codes[0];
  const aadsts = code === undefined ? error : `AADSTS${code}`;
  if (code === 90002 || code === 900023)
    return `Microsoft Entra ID knows no tenant ${tenant} (${aadsts}): check the tenant ID or domain in the Intune settings`;
  if (code === 700016 && hostedApp)
    return `Satchel’s Microsoft app is not consented in tenant ${tenant} (${aadsts}): an administrator of the tenant has to authorize Intune again`;
  if (code === 700016)
    return `Tenant ${tenant} has no app with the client ID ${clientId} (${aadsts}): check the Application (client) ID, and that the app is registered in this tenant`;
  if (code === 7000215)
    return `Microsoft Entra ID refused the client secret of app ${clientId} (${aadsts}): paste the secret’s Value, not its Secret ID, or create a new client secret`;
  if (code === 7000222)
    return `The client secret of app ${clientId} has expired (${aadsts}): create a new client secret under Certificates & secrets and paste it here`;
  if (code !== undefined && CERTIFICATE_CODES.has(code))
    return `Microsoft Entra ID did not accept the certificate of app ${clientId} (${aadsts}): upload this certificate to the app registration under Certificates & secrets, and check that it has not expired`;
  if (code === 700024)
    return `Microsoft Entra ID found the signed client assertion outside its valid time (${aadsts}): check this server’s clock`;
  if (code !== undefined && ASSERTION_CODES.has(code))
    return `Microsoft Entra ID refused the signed client assertion of app ${clientId} (${aadsts}): check the client ID and that the certificate belongs to this app`;
  return `Microsoft Entra ID refused the token request for tenant ${tenant} (${aadsts})`;
}

/** Sorts what the token and discovery requests met into what the retry loop does with it. */
export function classifyEntraFailure(error: unknown): ClassifiedFailure {
  if (error instanceof EntraRefusal) {
    if (error.status === 429)
      return { kind: 'rate_limited', message: error.message, retryAfterMs: error.retryAfterMs };
    if (error.status >= 500)
      return {
        kind: 'transient',
        message: `Microsoft Entra ID is unavailable (${error.status})`,
        retryAfterMs: error.retryAfterMs,
      };
    return { kind: 'auth_revoked', message: error.message };
  }
  if (isNetworkFailure(error))
    return {
      kind: 'transient',
      message: `Microsoft Entra ID could not be reached (${(error as Error).message})`,
    };
  if (error instanceof SyntaxError)
    return { kind: 'malformed', message: 'Microsoft Entra ID returned an answer that is not valid JSON' };
  return {
    kind: 'fatal',
    message: `The request to Microsoft Entra ID failed (${String((error as Error)?.message ?? error)})`,
  };
}

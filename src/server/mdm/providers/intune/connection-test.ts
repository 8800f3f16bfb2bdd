import { Invalid, ProviderError } from '../../../errors.ts';
import type { TextResponse } from '../../http/request.ts';
import { withRetries } from '../../http/retry.ts';
import type { Authorization, ProviderDeps } from '../../provider.ts';
import { classifyGraphFailure, GraphRefusal, getFromGraph, graphRoot, MISSING_PERMISSION } from './graph.ts';
import type { StoredSecret } from './secret.ts';
import { DEVICE_READ_PERMISSION } from './settings.ts';
import { accessTokenFor } from './token.ts';

/** A serial no device has: the test's lookup finds nothing, so it reads no device's data. */
const NO_SUCH_SERIAL = 'SATCHEL-CONNECTION-TEST';

/**
 * The connection test: one lookup by a serial no device has, which needs exactly the managed-devices read
 * permission. The device overview (a count) was the other candidate, but Graph also opens it to apps with
 * only the service-configuration or configuration read permissions, so a credential that could never read a
 * device would pass. When Graph applies the filter, the test reads nothing; should it ignore it, `$select`
 * and `$top` keep the answer to one device ID.
 */
function testUrl(deps: ProviderDeps): string {
  const filter = encodeURIComponent(`serialNumber eq '${NO_SUCH_SERIAL}'`);
  return `${graphRoot(deps)}/deviceManagement/managedDevices?$filter=${filter}&$select=id&$top=1`;
}

/** Which part of the authorization a refusal is about: the app's token, its permission, the tenant's licence. */
export type Refusal = 'token' | 'permission' | 'licence';

/** What a refused test means, in words that say what to fix. */
function refusalOf(response: TextResponse, tenant: string): Error {
  const { code } = GraphRefusal.of(response);
  const said = `${response.status}${code ? ` ${code}` : ''}`;
  switch (response.status) {
    case 403:
      return new Invalid(
        `Microsoft Graph refused to read Intune devices in ${tenant} (${said}): ${MISSING_PERMISSION}`,
        { refusal: 'permission' satisfies Refusal },
      );
    case 400:
      return new Invalid(
        `Intune is not available in tenant ${tenant} (Graph answered ${said}, as it does for a tenant without an active Intune licence): check the tenant’s Intune licence`,
        { refusal: 'licence' satisfies Refusal },
      );
    case 401:
      return new Invalid(
        `Microsoft Graph did not accept the app’s token for ${tenant} (${said}): authorize again`,
        { refusal: 'token' satisfies Refusal },
      );
    default:
      return new ProviderError('unavailable', `The connection test failed: Microsoft Graph answered ${said}`);
  }
}

/** Entra's refusals are the district's to fix (a wrong tenant or secret): answered as such, not as an outage. */
export async function refusalsAsInvalid<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ProviderError && error.reason === 'auth_revoked')
      throw new Invalid(error.message, { refusal: 'token' satisfies Refusal });
    throw error;
  }
}

async function lookUpNoSuchSerial(deps: ProviderDeps, secret: string, stored: StoredSecret): Promise<string> {
  const signal = AbortSignal.timeout(60_000);
  const call = { secret, stored, signal, tokenRetries: 1 };
  const { value: response } = await withRetries(
    async () => {
      const answer = await getFromGraph(deps, call, testUrl(deps));
      if (answer.status === 429 || answer.status >= 500) throw GraphRefusal.of(answer);
      return answer;
    },
    classifyGraphFailure,
    { signal, log: deps.log, maxRetries: 1 },
  );
  if (response.status !== 200) throw refusalOf(response, stored.tenantEntered);
  // The token the test was answered with, held since: no new request.
  return JSON.stringify(await accessTokenFor(deps, secret, stored, { signal }));
}

/**
 * Obtains a token with the stored credentials and tests device access with it, for someone waiting on the
 * answer (one retry each). A refusal throws `Invalid` saying what to fix; an outage a `ProviderError`.
 * Returns the token, to keep as the connection's first access token.
 */
export function testDeviceAccess(deps: ProviderDeps, secret: string, stored: StoredSecret): Promise<string> {
  return refusalsAsInvalid(lookUpNoSuchSerial(deps, secret, stored));
}

/** What every accepted authorization records: the account it acts as and the permission it was tested for. */
export function authorizationOf(secret: string, account: string, accessCache: string): Authorization {
  return { secret, account, grantedScopes: [DEVICE_READ_PERMISSION], accessCache };
}

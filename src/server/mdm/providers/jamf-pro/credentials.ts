import { Invalid, ProviderError } from '../../../errors.ts';
import { withRetries } from '../../http/retry.ts';
import type { Authorization, ProviderDeps, ProviderSettings } from '../../provider.ts';
import { classifyJamfFailure } from './answers.ts';
import { type ApiClient, storedSecretOf } from './api-client.ts';
import { getInventory, newTally } from './inventory-request.ts';
import { INVENTORIES, type InventoryEndpoint, inventoryUrl } from './kinds.ts';
import { rsqlValue } from './lookup-chunks.ts';
import { JamfProCredentials, JamfProSettings } from './settings.ts';
import { type HeldToken, tokenFor } from './tokens.ts';

/** No device has this serial (Apple's are letters and digits only), so the test reads no device's data. */
const NO_SUCH_SERIAL = 'SATCHEL-CONNECTION-TEST';
/** A person waits on the test: one retry of a failed request, not a sync's seven. */
const TEST_RETRIES = 1;

function detailOf(error: unknown, name: 'privilege' | 'code'): string | null {
  if (!(error instanceof ProviderError) || error.reason !== 'auth_revoked') return null;
  const value = (error.details as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : null;
}

function quoted(privileges: readonly string[]): string {
  return privileges.map((privilege) => `“${privilege}”`).join(' and ');
}

/** A token for the client, kept for the test's requests: a wrong ID or secret is named as such. */
async function firstToken(deps: ProviderDeps, client: ApiClient, signal: AbortSignal): Promise<HeldToken> {
  try {
    const { value } = await withRetries(() => tokenFor(deps, client, signal), classifyJamfFailure, {
      signal,
      maxRetries: TEST_RETRIES,
    });
    return value.token;
  } catch (error) {
    if (detailOf(error, 'code') === 'invalid_client')
      throw new Invalid(
        'Jamf Pro did not accept this client ID and client secret (invalid_client). Copy both from Settings › System › API roles and clients; Jamf Pro shows a secret only when it is generated, so generate a new one if you no longer have it, and check that the client is enabled',
        { rule: 'invalid_client' },
      );
    throw testFailure(error);
  }
}

/** Both inventories refused for want of a privilege: the message names each one missing. */
function missingPrivileges(missing: readonly string[]): Invalid {
  const what = INVENTORIES.filter((endpoint) => missing.includes(endpoint.privilege))
    .map((endpoint) => endpoint.label)
    .join(' or ');
  return new Invalid(
    `The API client’s role lacks the ${quoted(missing)} privilege${missing.length > 1 ? 's' : ''}, so Jamf Pro refused to read ${what}. In Settings › System › API roles and clients, add ${quoted(missing)} to the client’s API role, then enter the client again`,
    { rule: 'privilege', missing },
  );
}

/**
 * What else stopped the test. A refusal (of the client, of the URL's address or a redirect, a 404 where the
 * API should be) is the administrator's to fix: 400 with its message. Jamf Pro failing to answer is not.
 */
function testFailure(error: unknown): Error {
  if (!(error instanceof ProviderError)) return error as Error;
  const details = (error.details ?? {}) as { rule?: unknown; status?: unknown };
  const refused =
    error.reason === 'auth_revoked' ||
    typeof details.rule === 'string' ||
    (typeof details.status === 'number' && details.status < 500);
  if (refused) return new Invalid(error.message, error.details);
  return new ProviderError(error.reason, `The connection test failed: ${error.message}`, error.details);
}

/** A request each inventory answers only with its privilege, filtered on a serial no device has. */
function probe(deps: ProviderDeps, client: ApiClient, endpoint: InventoryEndpoint, signal: AbortSignal) {
  const url = inventoryUrl(client.baseUrl, endpoint, {
    page: 0,
    pageSize: 1,
    filter: `${endpoint.serialField}==${rsqlValue(NO_SUCH_SERIAL)}`,
  });
  return getInventory(deps, client, { url, endpoint, signal, maxRetries: TEST_RETRIES }, newTally());
}

/**
 * Tests an API client before it is stored: a token, then one cheap request to each inventory, which reads no
 * device's data but needs the privilege that inventory does. Refuses, naming what to fix, a wrong ID or secret
 * and a role without “Read Computers” or “Read Mobile Devices”.
 */
export async function acceptApiClient(
  deps: ProviderDeps,
  credentials: Record<string, unknown>,
  settings: ProviderSettings,
): Promise<Authorization> {
  const { clientId, clientSecret } = JamfProCredentials.parse(credentials);
  const { baseUrl } = JamfProSettings.parse(settings);
  const client: ApiClient = { baseUrl, clientId, clientSecret };
  const signal = AbortSignal.timeout(60_000);
  const token = await firstToken(deps, client, signal);
  const outcomes = await Promise.allSettled(
    INVENTORIES.map((endpoint) => probe(deps, client, endpoint, signal)),
  );
  const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
  const missing = failures
    .map((failure) => detailOf(failure, 'privilege'))
    .filter((privilege): privilege is string => privilege !== null);
  if (missing.length > 0) throw missingPrivileges(missing);
  if (failures.length > 0) throw testFailure(failures[0]);
  return {
    secret: storedSecretOf(client),
    account: `API client ${clientId} at ${new URL(baseUrl).host}`,
    grantedScopes: INVENTORIES.map((endpoint) => endpoint.privilege),
    accessCache: JSON.stringify(token),
  };
}

import type { Config } from '../../../config.ts';
import { Invalid } from '../../../errors.ts';
import type { Authorization, BrowserAuthCapability, ProviderDeps, ProviderSettings } from '../../provider.ts';
import { intuneConfig } from './config.ts';
import { authorizationOf, type Refusal, refusalsAsInvalid, testDeviceAccess } from './connection-test.ts';
import type { StoredSecret } from './secret.ts';
import { IntuneSettings, isGuid } from './settings.ts';
import { tenantIdOf } from './tenant.ts';

export function adminConsentUnavailableReason(config: Config): string | null {
  const { clientId, clientSecret } = intuneConfig(config);
  return clientId && clientSecret
    ? null
    : 'No Microsoft app is configured for admin consent: set MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET (see the setup guide), or paste an app registration’s credentials';
}

/**
 * Microsoft's admin consent page for Satchel's hosted app, in the district's tenant: an administrator there
 * grants the app its device-read permission. No code comes back, only the tenant and whether it consented.
 */
export function adminConsentUrl(
  deps: ProviderDeps,
  request: { state: string; redirectUri: string; settings: ProviderSettings },
): string {
  const { loginUrl, clientId } = intuneConfig(deps.config);
  const { tenantId } = IntuneSettings.parse(request.settings);
  const url = new URL(`${loginUrl}/${encodeURIComponent(tenantId)}/adminconsent`);
  url.searchParams.set('client_id', clientId ?? '');
  url.searchParams.set('state', request.state);
  url.searchParams.set('redirect_uri', request.redirectUri);
  return url.toString();
}

/**
 * The browser came back from the consent page (its `state` checked and its `error` answered by the service):
 * the consent must be confirmed and given in the district's own tenant (Entra names it by ID, the settings
 * may name it by domain), and the hosted app must then get a token there and read devices. The stored secret
 * names the tenant and the mode; the hosted app's secret stays in Satchel's configuration.
 */
export async function completeAdminConsent(
  deps: ProviderDeps,
  request: { query: Readonly<Record<string, string | undefined>>; settings: ProviderSettings },
): Promise<Authorization> {
  const settings = IntuneSettings.parse(request.settings);
  const { admin_consent: consented, tenant: consentedTenant } = request.query;
  if (consented?.toLowerCase() !== 'true')
    throw new Invalid('Microsoft did not confirm the admin consent; start the authorization again', {
      reason: 'consent_unconfirmed',
    });
  if (!consentedTenant || !isGuid(consentedTenant))
    throw new Invalid('Microsoft did not say which tenant consented; start the authorization again', {
      reason: 'consent_unconfirmed',
    });
  const tenantId = await refusalsAsInvalid(tenantIdOf(deps, settings.tenantId, AbortSignal.timeout(30_000)));
  if (consentedTenant.toLowerCase() !== tenantId)
    throw new Invalid(
      `The consent was given in another Microsoft tenant (${consentedTenant.toLowerCase()}), not the district’s (${settings.tenantId}): sign in as an administrator of ${settings.tenantId} and authorize again`,
      { reason: 'wrong_tenant' },
    );
  const stored: StoredSecret = { kind: 'admin_consent', tenantId, tenantEntered: settings.tenantId };
  const secret = JSON.stringify(stored);
  const accessCache = await testDeviceAccess(deps, secret, stored).catch(withConsentDelayHint);
  return authorizationOf(secret, `Satchel’s Microsoft app in ${settings.tenantId}`, accessCache);
}

/**
 * Entra can take a while to apply a consent just given: the first token or Graph request may still be refused.
 * A refusal of the token or the permission then says so.
 */
function withConsentDelayHint(error: unknown): never {
  const refusal = (
    error instanceof Invalid ? (error.details as { refusal?: Refusal } | undefined) : undefined
  )?.refusal;
  if (refusal === 'token' || refusal === 'permission')
    throw new Invalid(
      `${(error as Invalid).message}. Microsoft may take a minute to apply a new consent: if it was just given, wait a minute and authorize again`,
      { ...((error as Invalid).details as object), reason: 'consent_pending' },
    );
  throw error;
}

export const adminConsent: BrowserAuthCapability = {
  method: 'admin_consent',
  unavailableReason: adminConsentUnavailableReason,
  authorizationUrl: adminConsentUrl,
  complete: completeAdminConsent,
  // Satchel cannot take its app out of a district's tenant: the tenant's administrator removes the enterprise
  // application, and the hosted app's secret is Satchel's own.
  revoke: async () => undefined,
};

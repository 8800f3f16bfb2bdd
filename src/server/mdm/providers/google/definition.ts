import { GoogleSettings } from '../../../../common/mdm.ts';
import { ProviderError } from '../../../errors.ts';
import type { ProviderDefinition, ProviderDeps } from '../../provider.ts';
import {
  acceptServiceAccountKey,
  authorizationUrl,
  exchangeCode,
  OAUTH_SCOPES,
  oauthUnavailableReason,
  revoke,
} from './auth.ts';
import { authClientFor, directoryFor } from './client.ts';
import { authorize, countDevices, estimates, fetchPage } from './fetch.ts';

async function testConnection(
  deps: ProviderDeps,
  secret: string,
  settings: Record<string, unknown>,
): Promise<void> {
  const { customerId } = GoogleSettings.parse(settings);
  try {
    await directoryFor(deps, authClientFor(deps, secret)).chromeosdevices.list({
      customerId,
      maxResults: 1,
      fields: 'chromeosdevices(deviceId)',
    });
  } catch (error) {
    const status = (error as { status?: number; code?: number | string }).status;
    const reason =
      status === 403
        ? 'the account lacks the ChromeOS device privilege, or domain-wide delegation does not list the scope'
        : status === 401 || status === 400
          ? 'Google refused the credentials'
          : 'Google could not be reached';
    throw new ProviderError('auth_revoked', `The connection test failed: ${reason}`);
  }
}

export const google: ProviderDefinition = {
  key: 'google',
  name: 'Google Admin (ChromeOS)',
  description:
    'Org unit, OS version, last sync, auto-update expiration, recent users and hardware details for Chromebooks.',
  guide: 'docs/providers/google.md',
  authMethods: ['oauth', 'service_account'],
  settings: GoogleSettings,
  oauth: {
    scopes: OAUTH_SCOPES,
    unavailableReason: oauthUnavailableReason,
    authorizationUrl,
    exchangeCode,
    revoke,
  },
  serviceAccount: { acceptKey: acceptServiceAccountKey, testConnection },
  sync: {
    authorize,
    countDevices,
    incremental: true,
    quotaPerMinute: (config) => config.google.quotaPerMinute,
    estimates,
    fetchPage,
  },
  consoleUrl: (deviceId) => `https://admin.google.com/ac/chrome/devices/${encodeURIComponent(deviceId)}`,
};

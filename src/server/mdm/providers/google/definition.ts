import { ProviderError } from '../../../errors.ts';
import type { ProviderDefinition, ProviderDeps, ProviderSettings } from '../../provider.ts';
import {
  acceptServiceAccountKey,
  authorizationUrl,
  exchangeCode,
  oauthUnavailableReason,
  revoke,
} from './auth.ts';
import { googleConfig, googleConfigBlock } from './config.ts';
import { authorize, countChromeOsDevices, countDevices, estimates, fetchPage } from './fetch.ts';
import { GoogleCredentials, GoogleSettings } from './settings.ts';

/**
 * One cheap call that needs the ChromeOS device privilege: Google's device count. It reads no device's data
 * (a count, not a listing), so it is allowed whatever the district's request scope.
 */
async function testConnection(deps: ProviderDeps, secret: string, settings: ProviderSettings): Promise<void> {
  try {
    await countChromeOsDevices(deps, secret, GoogleSettings.parse(settings), undefined, 1);
  } catch (error) {
    const explanation =
      error instanceof ProviderError && error.reason === 'auth_revoked'
        ? `${error.message}. Check that the admin has the ChromeOS device privilege and that domain-wide delegation lists the scope`
        : 'Google could not be reached';
    throw new ProviderError('auth_revoked', `The connection test failed: ${explanation}`);
  }
}

export const google: ProviderDefinition = {
  key: 'google',
  name: 'Google Admin (ChromeOS)',
  shortName: 'Google',
  description:
    'Org unit, OS version, last sync, auto-update expiration, recent users and hardware details for Chromebooks.',
  guide: 'docs/providers/google.md',
  settings: GoogleSettings,
  config: googleConfigBlock,
  browserAuth: {
    method: 'oauth',
    unavailableReason: oauthUnavailableReason,
    authorizationUrl,
    complete: exchangeCode,
    revoke,
  },
  credentials: {
    method: 'service_account',
    schema: GoogleCredentials,
    async accept(deps, credentials, settings) {
      const { serviceAccountKey, impersonatedAdmin } = GoogleCredentials.parse(credentials);
      const authorization = acceptServiceAccountKey(serviceAccountKey, impersonatedAdmin);
      await testConnection(deps, authorization.secret, settings);
      return authorization;
    },
  },
  sync: {
    authorize,
    countDevices,
    incremental: true,
    estimates,
    fetchPage,
    lookupNote:
      'Google finds a serial whatever its case, but not one stored with spaces or other characters in it; such a device is reported not found.',
  },
  // Google's quota belongs to Satchel's Cloud project: every district that authorizes it spends the same one.
  identity: { assetTag: 'annotatedAssetId', searchable: ['annotatedAssetId', 'annotatedUser'] },
  rateLimit: { kind: 'shared_quota', perMinute: (config) => googleConfig(config).quotaPerMinute },
  consoleUrl: ({ providerDeviceId }) =>
    `https://admin.google.com/ac/chrome/devices/${encodeURIComponent(providerDeviceId)}`,
};

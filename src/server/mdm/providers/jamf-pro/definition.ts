import { checkProviderUrl } from '../../http/provider-url.ts';
import type { ProviderDefinition } from '../../provider.ts';
import { instanceOf } from './api-client.ts';
import { acceptApiClient } from './credentials.ts';
import { authorize, COUNT_CALLS, countDevices, estimates, fetchPage } from './fetch.ts';
import { jamfIdOf } from './mapping.ts';
import { JamfProCredentials, JamfProSettings } from './settings.ts';

/** Jamf Pro's console pages: `computers.html?id=12&o=r` and `mobileDevices.html?id=34&o=r` (`o=r`: read). */
const CONSOLE_PAGES = { computer: 'computers.html', mobileDevice: 'mobileDevices.html' } as const;

export const jamfPro: ProviderDefinition = {
  key: 'jamf_pro',
  name: 'Jamf Pro (Macs and iPads)',
  shortName: 'Jamf Pro',
  description:
    'Last check-in, OS version, user, network, storage, supervision and lost mode for Macs, iPads and other Apple devices.',
  guide: 'docs/providers/jamf_pro.md',
  settings: JamfProSettings,
  async checkSettings({ config }, settings) {
    await checkProviderUrl(String(settings.baseUrl), { allowPrivate: config.allowPrivateProviderUrls });
  },
  credentials: {
    method: 'client_credentials',
    schema: JamfProCredentials,
    accept: acceptApiClient,
  },
  sync: {
    authorize,
    countDevices,
    countCalls: COUNT_CALLS,
    incremental: false,
    estimates,
    fetchPage,
    lookupNote:
      'Jamf Pro finds a serial number only when it is stored exactly so, apart from letter case (Jamf documents its filters as ignoring case, which Satchel has not been able to confirm): a device stored in Jamf Pro with spaces or other characters in its serial number, or in lower case if case does count, is reported not found.',
  },
  // Jamf Pro has no rate limiter, but asks for at most five requests at a time per server.
  identity: { assetTag: 'assetTag', searchable: ['name', 'assetTag', 'username'] },
  rateLimit: { kind: 'concurrency', max: 5, instance: (settings) => instanceOf(String(settings.baseUrl)) },
  consoleUrl: ({ providerDeviceId }, settings) => {
    const device = jamfIdOf(providerDeviceId);
    if (!device) return null;
    const { baseUrl } = JamfProSettings.parse(settings);
    return `${baseUrl}/${CONSOLE_PAGES[device.kind]}?id=${encodeURIComponent(device.jamfId)}&o=r`;
  },
};

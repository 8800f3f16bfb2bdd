import type { ProviderDefinition } from '../../provider.ts';
import { adminConsent } from './admin-consent.ts';
import { intuneConfig, intuneConfigBlock } from './config.ts';
import { acceptCredentials } from './credentials.ts';
import { IntuneCredentials, IntuneSettings } from './settings.ts';
import { authorize, countDevices, estimates, fetchPage } from './sync.ts';

export const intune: ProviderDefinition = {
  key: 'intune',
  name: 'Microsoft Intune',
  shortName: 'Intune',
  description:
    'Compliance, last check-in, OS version, primary user, ownership and encryption for Windows, Apple and Android devices managed in Intune.',
  guide: 'docs/providers/intune.md',
  settings: IntuneSettings,
  config: intuneConfigBlock,
  browserAuth: adminConsent,
  credentials: {
    method: 'client_credentials',
    schema: IntuneCredentials,
    accept: acceptCredentials,
  },
  sync: {
    authorize,
    countDevices,
    incremental: false,
    estimates,
    fetchPage,
    lookupNote:
      'Intune is asked for each serial as Satchel stores it (upper case, without spaces); a device Intune holds under a serial written with spaces or other characters, or in lower case where Intune compares exactly, is reported not found.',
  },
  // Graph throttles each app per tenant (2,000 requests per 20 s): each district's tenant has its own budget.
  identity: { assetTag: null, searchable: ['deviceName'] },
  rateLimit: {
    kind: 'per_tenant',
    perMinute: (config) => intuneConfig(config).requestsPer20Seconds * 3,
    tenant: (settings) => String(settings.tenantId),
  },
  consoleUrl: ({ providerDeviceId }, settings) =>
    `https://intune.microsoft.com/${encodeURIComponent(String(settings.tenantId))}/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/${encodeURIComponent(providerDeviceId)}`,
};

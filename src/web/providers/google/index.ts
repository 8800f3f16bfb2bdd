import guide from '../../../../docs/providers/google.md?raw';
import type { ProviderUi } from '../types.ts';
import { googleDeviceFacts } from './deviceFacts.ts';
import { ServiceAccountForm } from './ServiceAccountForm.tsx';
import { GOOGLE_AUTH_METHOD_LABELS, GoogleSettingsForm, googleSettingsOf } from './SettingsForm.tsx';

export const googleUi: ProviderUi = {
  guide,
  brand: 'Google',
  label: 'Google',
  authMethods: GOOGLE_AUTH_METHOD_LABELS,
  SettingsForm: GoogleSettingsForm,
  credentials: { title: 'Upload a service-account key', Form: ServiceAccountForm },
  browserPrompt:
    'Sign in with a Google admin account and allow Satchel read-only access to your ChromeOS devices.',
  summary: (raw) => {
    const settings = googleSettingsOf(raw);
    return [
      {
        label: 'Customer',
        value:
          settings.customerId === 'my_customer'
            ? 'my_customer (the authorizing account’s)'
            : settings.customerId,
      },
      {
        label: 'Org units',
        value: settings.orgUnitPaths.length > 0 ? settings.orgUnitPaths.join(', ') : 'All',
      },
    ];
  },
  consoleLabel: 'Open in Google Admin',
  deviceFacts: googleDeviceFacts,
  statusSuggestions: ['ACTIVE', 'DISABLED', 'DEPROVISIONED', 'INACTIVE', 'PRE_PROVISIONED'],
  unusableStatuses: ['DISABLED', 'DEPROVISIONED'],
  strategies: {
    batch_lookup: { label: 'Lookups (batched)', pages: { devices: 1000, of: 'tracked' } },
    full_listing: { label: 'Full listing', pages: { devices: 300, of: 'fleet' } },
    incremental_listing: { label: 'Changes since the last sync' },
  },
};

import { STATUS_LABELS } from '../../lib/inventory.ts';
import { intervalLabel } from '../../lib/mdm.ts';
import { JamfProSettingsForm, jamfProSettingsOf } from '../../providers/jamf_pro/JamfProSettingsForm.tsx';
import { jamfProDeviceFacts } from '../../providers/jamf_pro/jamfProDevice.ts';
import { GOOGLE_AUTH_METHOD_LABELS, GoogleSettingsForm, googleSettingsOf } from './GoogleSettingsForm.tsx';
import { googleDeviceFacts } from './googleDevice.ts';
import type { ProviderUiRegistry } from './providerUi.ts';

/** Every provider the server knows needs an entry here (the type makes a missing one a compile error). */
export const PROVIDER_UI: ProviderUiRegistry = {
  google: {
    brand: 'Google',
    SettingsForm: GoogleSettingsForm,
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
        { label: 'Sync', value: intervalLabel(settings.intervalMinutes) },
        {
          label: 'Statuses',
          value: settings.syncedStatuses.map((status) => STATUS_LABELS[status]).join(', '),
        },
        { label: 'Method', value: GOOGLE_AUTH_METHOD_LABELS[settings.authMethod].label },
      ];
    },
    consoleLabel: 'Open in Google Admin',
    deviceFacts: googleDeviceFacts,
  },
  jamf_pro: {
    brand: 'Jamf Pro',
    SettingsForm: JamfProSettingsForm,
    summary: (raw) => {
      const settings = jamfProSettingsOf(raw);
      if (!settings) return [];
      return [
        { label: 'Server', value: settings.baseUrl },
        { label: 'Sync', value: intervalLabel(settings.intervalMinutes) },
        {
          label: 'Statuses',
          value: settings.syncedStatuses.map((status) => STATUS_LABELS[status]).join(', '),
        },
      ];
    },
    consoleLabel: 'Open in Jamf Pro',
    deviceFacts: jamfProDeviceFacts,
  },
};

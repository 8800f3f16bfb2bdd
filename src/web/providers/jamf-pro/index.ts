import guide from '../../../../docs/providers/jamf_pro.md?raw';
import { ESTIMATED_SERIALS_PER_LOOKUP } from '../../../server/mdm/providers/jamf-pro/lookup-chunks.ts';
import type { ProviderUi } from '../types.ts';
import { ApiClientForm } from './ApiClientForm.tsx';
import { jamfProDeviceFacts } from './deviceFacts.ts';
import { JAMF_PRO_AUTH_METHOD_LABELS, JamfProSettingsForm, jamfProSettingsOf } from './SettingsForm.tsx';

export const jamfProUi: ProviderUi = {
  guide,
  brand: 'Jamf Pro',
  label: 'Jamf Pro',
  authMethods: JAMF_PRO_AUTH_METHOD_LABELS,
  SettingsForm: JamfProSettingsForm,
  credentials: { title: 'Enter an API client', Form: ApiClientForm },
  summary: (raw) => {
    const settings = jamfProSettingsOf(raw);
    return settings ? [{ label: 'Server', value: settings.baseUrl }] : [];
  },
  consoleLabel: 'Open in Jamf Pro',
  deviceFacts: jamfProDeviceFacts,
  statusSuggestions: ['managed', 'unmanaged'],
  unusableStatuses: [],
  strategies: {
    serial_lookup: {
      label: 'Lookups by serial number',
      pages: { devices: ESTIMATED_SERIALS_PER_LOOKUP, of: 'tracked' },
    },
    // A page holds up to 2,000 of each inventory, in a split of the fleet Satchel does not know: progress
    // follows the API calls made.
    full_listing: { label: 'Full listing' },
  },
};

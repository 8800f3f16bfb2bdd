import guide from '../../../../docs/providers/jamf_school.md?raw';
import type { ProviderUi } from '../types.ts';
import { JamfSchoolCredentialsForm } from './CredentialsForm.tsx';
import { jamfSchoolDeviceFacts } from './deviceFacts.ts';
import {
  JAMF_SCHOOL_AUTH_METHOD_LABELS,
  JamfSchoolSettingsForm,
  jamfSchoolSettingsOf,
} from './SettingsForm.tsx';

export const jamfSchoolUi: ProviderUi = {
  guide,
  brand: 'Jamf School',
  label: 'Jamf School',
  authMethods: JAMF_SCHOOL_AUTH_METHOD_LABELS,
  SettingsForm: JamfSchoolSettingsForm,
  credentials: { title: 'Enter the Network ID and an API key', Form: JamfSchoolCredentialsForm },
  summary: (raw) => {
    const settings = jamfSchoolSettingsOf(raw);
    return [
      { label: 'Address', value: settings.baseUrl ?? '—' },
      { label: 'Time zone', value: settings.timeZone },
    ];
  },
  consoleLabel: 'Open in Jamf School',
  deviceFacts: jamfSchoolDeviceFacts,
  statusSuggestions: ['managed', 'unmanaged', 'enrollment_pending'],
  unusableStatuses: [],
  strategies: {
    serial_lookup: { label: 'Lookups (one per device)', pages: { devices: 5, of: 'tracked' } },
    full_listing: { label: 'Full listing', pages: { devices: 1000, of: 'fleet' } },
  },
};

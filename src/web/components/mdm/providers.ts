import { STATUS_LABELS } from '../../lib/inventory.ts';
import { intervalLabel } from '../../lib/mdm.ts';
import { GOOGLE_AUTH_METHOD_LABELS, GoogleSettingsForm, googleSettingsOf } from './GoogleSettingsForm.tsx';
import { googleDeviceFacts } from './googleDevice.ts';
import {
  asIntuneAuthMethod,
  INTUNE_AUTH_METHOD_LABELS,
  IntuneSettingsForm,
  intuneSettingsOf,
} from './IntuneSettingsForm.tsx';
import { intuneDeviceFacts } from './intuneDevice.ts';
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
  intune: {
    brand: 'Microsoft',
    SettingsForm: IntuneSettingsForm,
    summary: (raw) => {
      const settings = intuneSettingsOf(raw);
      return [
        { label: 'Tenant', value: settings.tenantId },
        { label: 'Sync', value: intervalLabel(settings.intervalMinutes) },
        {
          label: 'Statuses',
          value: settings.syncedStatuses.map((status) => STATUS_LABELS[status]).join(', '),
        },
        { label: 'Method', value: INTUNE_AUTH_METHOD_LABELS[asIntuneAuthMethod(settings.authMethod)].label },
      ];
    },
    consoleLabel: 'Open in the Intune admin center',
    deviceFacts: intuneDeviceFacts,
  },
};

import guide from '../../../../docs/providers/intune.md?raw';
import type { ProviderUi } from '../types.ts';
import { IntuneCredentialsForm } from './CredentialsForm.tsx';
import { intuneDeviceFacts } from './deviceFacts.ts';
import { INTUNE_AUTH_METHOD_LABELS, IntuneSettingsForm, storedTenantOf } from './SettingsForm.tsx';

export const intuneUi: ProviderUi = {
  guide,
  brand: 'Microsoft',
  label: 'Intune',
  authMethods: INTUNE_AUTH_METHOD_LABELS,
  SettingsForm: IntuneSettingsForm,
  credentials: { title: 'Enter your app registration', Form: IntuneCredentialsForm },
  browserPrompt:
    'Sign in as an administrator of your Microsoft tenant and grant Satchel’s app read-only access to Intune devices.',
  summary: (raw) => [{ label: 'Tenant', value: storedTenantOf(raw) }],
  consoleLabel: 'Open in the Intune admin center',
  deviceFacts: intuneDeviceFacts,
  // Intune's device registration states.
  statusSuggestions: [
    'registered',
    'notRegistered',
    'revoked',
    'certificateReset',
    'approvalPending',
    'keyConflict',
  ],
  unusableStatuses: ['revoked'],
  strategies: {
    batch_lookup: { label: 'Lookups by serial (20 per batch)', pages: { devices: 20, of: 'tracked' } },
    full_listing: { label: 'Full listing', pages: { devices: 1000, of: 'fleet' } },
  },
};

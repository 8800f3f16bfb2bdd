import type { DeviceMdmRecord } from '../../../common/mdm.ts';
import {
  checkInFacts,
  macAddressesFact,
  storageFact,
  factText as text,
} from '../../components/mdm/deviceFactValues.ts';
import type { DeviceFact } from '../types.ts';

/** Intune's camelCase words as people read them: "inGracePeriod" → "In grace period". */
export function intuneWord(value: unknown): string | null {
  const word = text(value);
  if (!word) return null;
  const spaced = word.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function yesNo(value: unknown): string | null {
  return typeof value === 'boolean' ? (value ? 'Yes' : 'No') : null;
}

/** A managed device as Intune reports it: compliance and check-in first, then the device, its user, its IDs. */
export function intuneDeviceFacts(record: DeviceMdmRecord): DeviceFact[] {
  const { fields, extras } = record;
  const os = [text(fields.osName), text(fields.osVersion)].filter(Boolean).join(' ') || null;
  return [
    { label: 'Compliance', value: intuneWord(fields.compliance) },
    ...checkInFacts(fields),
    { label: 'Device name', value: text(extras.deviceName) },
    { label: 'OS', value: os },
    {
      label: 'Model',
      value: [text(extras.manufacturer), text(fields.model)].filter(Boolean).join(' ') || null,
    },
    { label: 'Storage', value: storageFact(fields.storageFreeBytes, fields.storageTotalBytes) },
    { label: 'Encrypted', value: yesNo(extras.encrypted) },
    { label: 'Supervised', value: yesNo(fields.supervised) },
    { label: 'Primary user', value: text(fields.primaryUser) },
    { label: 'Ownership', value: intuneWord(extras.ownership) },
    { label: 'Category', value: text(extras.category) },
    { label: 'Managed by', value: intuneWord(extras.managementAgent) },
    { label: 'Registration', value: intuneWord(fields.mdmStatus) },
    { label: 'MAC addresses', value: macAddressesFact(fields.macAddresses) },
    { label: 'Microsoft Entra device ID', value: text(extras.azureADDeviceId) },
    { label: 'Intune device ID', value: record.providerDeviceId },
  ];
}

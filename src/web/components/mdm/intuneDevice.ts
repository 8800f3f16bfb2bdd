import type { DeviceMdmRecord } from '../../../common/mdm.ts';
import { formatBytes, formatDateTime, formatRelative } from '../../lib/format.ts';
import { formatMac } from './googleDevice.ts';
import type { DeviceFact } from './providerUi.ts';

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/** Intune's camelCase words ("inGracePeriod", "notRegistered") as people read them: "In grace period". */
export function intuneWord(value: unknown): string | null {
  const word = text(value);
  if (!word) return null;
  const spaced = word.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function yesNo(value: unknown): string | null {
  return typeof value === 'boolean' ? (value ? 'Yes' : 'No') : null;
}

function storage(free: number | null | undefined, total: number | null | undefined): string | null {
  if (typeof total !== 'number') return null;
  if (typeof free !== 'number') return formatBytes(total);
  return `${formatBytes(free)} free of ${formatBytes(total)}`;
}

/** A managed device as Intune reports it: compliance and check-in first, then hardware, user and identifiers. */
export function intuneDeviceFacts(record: DeviceMdmRecord): DeviceFact[] {
  const { fields, extras } = record;
  const os = [text(fields.osName), text(fields.osVersion)].filter(Boolean).join(' ') || null;
  return [
    { label: 'Compliance', value: intuneWord(fields.compliance) },
    {
      label: 'Last check-in',
      value: fields.lastCheckInAt ? formatDateTime(fields.lastCheckInAt) : null,
      detail: fields.lastCheckInAt ? formatRelative(fields.lastCheckInAt) : null,
    },
    { label: 'Enrolled', value: fields.enrolledAt ? formatDateTime(fields.enrolledAt) : null },
    { label: 'Device name', value: text(extras.deviceName) },
    { label: 'OS', value: os },
    {
      label: 'Model',
      value: [text(extras.manufacturer), text(fields.model)].filter(Boolean).join(' ') || null,
    },
    { label: 'Storage', value: storage(fields.storageFreeBytes, fields.storageTotalBytes) },
    { label: 'Encrypted', value: yesNo(extras.encrypted) },
    { label: 'Supervised', value: yesNo(fields.supervised) },
    { label: 'Primary user', value: text(fields.primaryUser) },
    { label: 'Ownership', value: intuneWord(extras.ownership) },
    { label: 'Category', value: text(extras.category) },
    { label: 'Managed by', value: intuneWord(extras.managementAgent) },
    { label: 'Registration', value: intuneWord(fields.mdmStatus) },
    {
      label: 'MAC addresses',
      value:
        fields.macAddresses && fields.macAddresses.length > 0
          ? fields.macAddresses.map(formatMac).join(', ')
          : null,
    },
    { label: 'Microsoft Entra device ID', value: text(extras.azureADDeviceId) },
    { label: 'Intune device ID', value: record.providerDeviceId },
  ];
}

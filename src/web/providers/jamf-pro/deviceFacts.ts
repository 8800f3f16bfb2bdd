import type { DeviceMdmRecord } from '../../../common/mdm.ts';
import { formatBytes, formatDateTime, formatRelative } from '../../lib/format.ts';
import type { DeviceFact } from '../types.ts';

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

function yesNo(value: boolean | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value ? 'Yes' : 'No';
}

function storage(free: number | null | undefined, total: number | null | undefined): string | null {
  if (typeof total !== 'number') return typeof free === 'number' ? `${formatBytes(free)} free` : null;
  if (typeof free !== 'number') return formatBytes(total);
  return `${formatBytes(free)} free of ${formatBytes(total)}`;
}

const KIND_LABELS: Record<string, string> = { computer: 'Computer', mobileDevice: 'Mobile device' };

/**
 * A Mac or a mobile device as Jamf Pro reports it: the device and its state first, then who uses it and its
 * network (the device screen shows the list in two columns, split in the middle).
 */
export function jamfProDeviceFacts(record: DeviceMdmRecord): DeviceFact[] {
  const { fields, extras } = record;
  const os = [text(fields.osName), text(fields.osVersion)].filter(Boolean).join(' ') || null;
  const batteryLevel = typeof extras.batteryLevel === 'number' ? `${extras.batteryLevel}% charged` : null;
  return [
    { label: 'Name in Jamf Pro', value: text(extras.name), detail: KIND_LABELS[String(extras.deviceKind)] },
    {
      label: 'Management',
      value: fields.mdmStatus === 'managed' ? 'Managed' : fields.mdmStatus ? 'Unmanaged' : null,
    },
    {
      label: 'Last check-in',
      value: fields.lastCheckInAt ? formatDateTime(fields.lastCheckInAt) : null,
      detail: fields.lastCheckInAt ? formatRelative(fields.lastCheckInAt) : null,
    },
    { label: 'Enrolled', value: fields.enrolledAt ? formatDateTime(fields.enrolledAt) : null },
    { label: 'OS', value: os, detail: text(extras.osBuild) },
    { label: 'Model', value: text(fields.model), detail: text(extras.modelIdentifier) },
    { label: 'Storage', value: storage(fields.storageFreeBytes, fields.storageTotalBytes) },
    {
      label: 'Battery',
      value: fields.batteryHealth ? `${fields.batteryHealth} of design capacity` : batteryLevel,
    },
    { label: 'Supervised', value: yesNo(fields.supervised) },
    {
      label: 'Lost mode',
      value: fields.lostMode ? 'On' : fields.lostMode === false ? 'Off' : null,
    },
    { label: 'Asset tag in Jamf Pro', value: text(extras.assetTag) },
    { label: 'User', value: text(fields.primaryUser), detail: text(extras.username) },
    { label: 'Building', value: text(extras.building) },
    { label: 'IP address', value: text(fields.ipAddress) },
    {
      label: 'MAC addresses',
      value: fields.macAddresses && fields.macAddresses.length > 0 ? fields.macAddresses.join(', ') : null,
    },
    { label: 'UDID', value: text(extras.udid) },
    { label: 'Jamf Pro ID', value: record.providerDeviceId },
  ];
}

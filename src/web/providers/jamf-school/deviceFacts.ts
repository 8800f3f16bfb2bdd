import type { DeviceMdmRecord } from '../../../common/mdm.ts';
import { mdmStatusLabel } from '../../lib/deviceMdm.ts';
import { formatBytes, formatDateTime, formatRelative } from '../../lib/format.ts';
import type { DeviceFact } from '../types.ts';

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/** How Jamf School enrolled the device, in its console's words. */
const ENROLMENT_LABELS: Record<string, string> = {
  dep: 'Automated Device Enrollment',
  depPending: 'Automated Device Enrollment (pending)',
  ac2: 'Apple Configurator',
  ac2Pending: 'Apple Configurator (pending)',
  manual: 'Manual (user-initiated)',
};

function storage(free: number | null | undefined, total: number | null | undefined): string | null {
  if (typeof total !== 'number') return null;
  if (typeof free !== 'number') return formatBytes(total);
  return `${formatBytes(free)} free of ${formatBytes(total)}`;
}

function yesNo(value: boolean | null | undefined): string | null {
  return typeof value === 'boolean' ? (value ? 'Yes' : 'No') : null;
}

/** An Apple device as Jamf School reports it: the device first, then who has it and its network. */
export function jamfSchoolDeviceFacts(record: DeviceMdmRecord): DeviceFact[] {
  const { fields, extras } = record;
  const enrollType = text(extras.enrollType);
  const battery = typeof extras.batteryPercent === 'number' ? `${extras.batteryPercent}%` : null;
  const groups = Array.isArray(extras.groups)
    ? extras.groups.filter((group) => typeof group === 'string')
    : [];
  return [
    { label: 'Status', value: fields.mdmStatus ? mdmStatusLabel(fields.mdmStatus) : null },
    {
      label: 'Last check-in',
      value: fields.lastCheckInAt ? formatDateTime(fields.lastCheckInAt) : null,
      detail: fields.lastCheckInAt ? formatRelative(fields.lastCheckInAt) : null,
    },
    { label: 'OS', value: [text(fields.osName), text(fields.osVersion)].filter(Boolean).join(' ') || null },
    { label: 'Model', value: text(fields.model), detail: text(extras.modelIdentifier) },
    { label: 'Name in Jamf School', value: text(extras.name) },
    { label: 'Asset tag in Jamf School', value: text(extras.assetTag) },
    { label: 'Storage', value: storage(fields.storageFreeBytes, fields.storageTotalBytes) },
    { label: 'Battery charge', value: battery, detail: battery ? 'At the last check-in' : null },
    { label: 'Supervised', value: yesNo(fields.supervised) },
    { label: 'Enrollment', value: enrollType ? (ENROLMENT_LABELS[enrollType] ?? enrollType) : null },
    { label: 'Owner', value: text(fields.primaryUser) },
    { label: 'Groups', value: groups.length > 0 ? groups.join(', ') : null },
    { label: 'IP address', value: text(fields.ipAddress) },
    {
      label: 'MAC addresses',
      value: fields.macAddresses && fields.macAddresses.length > 0 ? fields.macAddresses.join(', ') : null,
    },
    { label: 'UDID', value: record.providerDeviceId },
  ];
}

import type { DeviceMdmRecord } from '../../../common/mdm.ts';
import { formatBytes, formatDateTime, formatDay, formatRelative } from '../../lib/format.ts';
import type { DeviceFact } from '../types.ts';

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

function numeric(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Google sends MAC addresses as 12 hex digits; people read them with colons. */
export function formatMac(mac: string): string {
  return /^[0-9a-f]{12}$/i.test(mac) ? (mac.match(/../g) ?? [mac]).join(':').toLowerCase() : mac;
}

/** "ACTIVE" → "Active", "DEPROVISIONED" → "Deprovisioned". */
function statusLabel(status: string | null | undefined): string | null {
  const value = text(status);
  if (!value) return null;
  return value.charAt(0).toUpperCase() + value.slice(1).toLowerCase().replaceAll('_', ' ');
}

function network(record: DeviceMdmRecord): { lan: string | null; wan: string | null } {
  const known = record.extras.lastKnownNetwork;
  const fields = typeof known === 'object' && known !== null ? (known as Record<string, unknown>) : {};
  return { lan: text(fields.ipAddress) ?? text(record.fields.ipAddress), wan: text(fields.wanIpAddress) };
}

function storage(free: number | null | undefined, total: number | null | undefined): string | null {
  if (typeof total !== 'number') return null;
  if (typeof free !== 'number') return formatBytes(total);
  return `${formatBytes(free)} free of ${formatBytes(total)}`;
}

/**
 * A ChromeOS device as Google Admin reports it: the device and its hardware first, then where it sits, who
 * uses it and its network (the device screen shows the list in two columns, split in the middle).
 */
export function googleDeviceFacts(record: DeviceMdmRecord): DeviceFact[] {
  const { fields, extras } = record;
  const annotatedUser = text(extras.annotatedUser);
  const { lan, wan } = network(record);
  const os = [text(fields.osName), text(fields.osVersion)].filter(Boolean).join(' ') || null;
  const ram = numeric(extras.systemRamTotal);
  return [
    { label: 'Status', value: statusLabel(fields.mdmStatus) },
    {
      label: 'Last check-in',
      value: fields.lastCheckInAt ? formatDateTime(fields.lastCheckInAt) : null,
      detail: fields.lastCheckInAt ? formatRelative(fields.lastCheckInAt) : null,
    },
    { label: 'Enrolled', value: fields.enrolledAt ? formatDateTime(fields.enrolledAt) : null },
    { label: 'OS', value: os, detail: text(extras.platformVersion) },
    {
      label: 'Auto-update expiration',
      value: fields.autoUpdateExpiration ? formatDay(fields.autoUpdateExpiration) : null,
      detail: fields.autoUpdateExpiration ? formatRelative(fields.autoUpdateExpiration) : null,
    },
    { label: 'Firmware', value: text(extras.firmwareVersion) },
    { label: 'Boot mode', value: text(extras.bootMode) },
    { label: 'Model', value: text(fields.model) },
    { label: 'Storage', value: storage(fields.storageFreeBytes, fields.storageTotalBytes) },
    { label: 'RAM', value: ram === null ? null : formatBytes(ram) },
    { label: 'Org unit', value: text(fields.orgUnit) },
    { label: 'Asset ID in Google', value: text(extras.annotatedAssetId) },
    { label: 'Location', value: text(extras.annotatedLocation) },
    annotatedUser
      ? { label: 'User', value: annotatedUser, detail: 'Annotated in Google Admin' }
      : {
          label: 'User',
          value: text(fields.primaryUser),
          detail: fields.primaryUser ? 'Most recent user' : null,
        },
    {
      label: 'Recent users',
      value: fields.recentUsers && fields.recentUsers.length > 0 ? fields.recentUsers.join(', ') : null,
    },
    { label: 'IP address', value: lan },
    { label: 'WAN IP address', value: wan },
    {
      label: 'MAC addresses',
      value:
        fields.macAddresses && fields.macAddresses.length > 0
          ? fields.macAddresses.map(formatMac).join(', ')
          : null,
    },
    { label: 'Google device ID', value: record.providerDeviceId },
  ];
}

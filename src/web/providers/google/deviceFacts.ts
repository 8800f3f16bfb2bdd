import type { DeviceMdmRecord } from '../../../common/mdm.ts';
import { autoUpdateState } from '../../../common/school-year.ts';
import {
  checkInFacts,
  factText,
  macAddressesFact,
  storageFact,
} from '../../components/mdm/deviceFactValues.ts';
import { formatBytes, formatDay, formatRelative } from '../../lib/format.ts';
import type { DeviceFact } from '../types.ts';

const text = factText;

function numeric(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
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
    ...checkInFacts(fields),
    { label: 'OS', value: os, detail: text(extras.platformVersion) },
    autoUpdateFact(fields.autoUpdateExpiration),
    { label: 'Firmware', value: text(extras.firmwareVersion) },
    { label: 'Boot mode', value: text(extras.bootMode) },
    { label: 'Model', value: text(fields.model) },
    { label: 'Storage', value: storageFact(fields.storageFreeBytes, fields.storageTotalBytes) },
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
    { label: 'MAC addresses', value: macAddressesFact(fields.macAddresses) },
    { label: 'Google device ID', value: record.providerDeviceId },
  ];
}

/** "Expired" (red) once the day has passed; the day, marked when it comes this school year. */
function autoUpdateFact(expiration: string | null | undefined): DeviceFact {
  const label = 'Auto-update expiration';
  if (!expiration) return { label, value: null };
  const state = autoUpdateState(expiration, new Date());
  if (state === 'expired')
    return { label, value: 'Expired', detail: `on ${formatDay(expiration)}`, tone: 'danger' };
  if (state === 'this_school_year')
    return {
      label,
      value: formatDay(expiration),
      detail: `expires this school year (${formatRelative(expiration)})`,
      tone: 'warning',
    };
  return { label, value: formatDay(expiration), detail: formatRelative(expiration) };
}

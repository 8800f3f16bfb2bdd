import type { DeviceDetail } from '../../common/inventory.ts';
import type { DeviceMdmRecord } from '../../common/mdm.ts';
import { formatDateTime, formatDay, plural } from './format.ts';
import { STATUS_LABELS } from './inventory.ts';

/** Something in a provider's data that disagrees with Satchel, or needs someone to act. */
export interface MdmWarning {
  key: string;
  color: 'red' | 'orange' | 'yellow';
  title: string;
  message: string;
}

const DAY_MS = 24 * 3600 * 1000;
/** Devices that have not checked in for longer than this, while in service, are worth a look. */
export const STALE_CHECK_IN_DAYS = 30;
/** A lost or stolen device that checked in this recently is still in someone's hands. */
export const RECENT_CHECK_IN_DAYS = 30;
/** Auto-update expiration this close is a warning; replacing devices takes a budget cycle. */
export const AUE_WARNING_MONTHS = 6;

function time(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const value = new Date(iso).getTime();
  return Number.isNaN(value) ? null : value;
}

function addMonths(at: number, months: number): number {
  const date = new Date(at);
  date.setMonth(date.getMonth() + months);
  return date.getTime();
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The provider's last known address of the device, e.g. "10.2.3.4 (WAN 203.0.113.9)". */
export function lastKnownAddress(record: DeviceMdmRecord): string | null {
  const network = record.extras.lastKnownNetwork;
  const lan =
    (typeof network === 'object' && network !== null
      ? text((network as Record<string, unknown>).ipAddress)
      : null) ?? text(record.fields.ipAddress);
  const wan =
    typeof network === 'object' && network !== null
      ? text((network as Record<string, unknown>).wanIpAddress)
      : null;
  if (lan && wan) return `${lan} (WAN ${wan})`;
  return lan ?? (wan ? `WAN ${wan}` : null);
}

/** Other provider records with the device's serial number (the device was enrolled again). */
export function duplicateIds(record: DeviceMdmRecord): string[] {
  const ids = record.extras.duplicateDeviceIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * What the provider's data says that needs attention, worked out in the browser from the record and the
 * device: expiring updates, silent or disabled devices in service, lost devices still in use, a different
 * user than the one it is checked out to, and duplicate enrolments. Only for devices the provider knows.
 */
export function mdmWarnings(
  record: DeviceMdmRecord,
  device: Pick<DeviceDetail, 'status' | 'currentAssignment'>,
  /** The provider's name, and its statuses meaning the device can no longer be used (Google: DISABLED…). */
  provider: { brand: string; unusableStatuses: readonly string[] },
  now = Date.now(),
): MdmWarning[] {
  const { brand } = provider;
  if (record.matchState !== 'matched') return [];
  const warnings: MdmWarning[] = [];
  const { fields } = record;

  const aue = time(fields.autoUpdateExpiration);
  if (aue !== null) {
    const day = formatDay(fields.autoUpdateExpiration);
    if (aue <= now) {
      warnings.push({
        key: 'aue-passed',
        color: 'red',
        title: 'Auto-update expired',
        message: `This device stopped receiving ChromeOS updates on ${day}. Plan to replace it.`,
      });
    } else if (aue <= addMonths(now, AUE_WARNING_MONTHS)) {
      warnings.push({
        key: 'aue-soon',
        color: 'yellow',
        title: 'Auto-update expires soon',
        message: `This device stops receiving ChromeOS updates on ${day}, within ${AUE_WARNING_MONTHS} months.`,
      });
    }
  }

  const checkIn = time(fields.lastCheckInAt);
  const daysSinceCheckIn = checkIn === null ? null : Math.floor((now - checkIn) / DAY_MS);
  if (device.status === 'in_service' && daysSinceCheckIn !== null && daysSinceCheckIn > STALE_CHECK_IN_DAYS) {
    warnings.push({
      key: 'stale-check-in',
      color: 'orange',
      title: `No check-in for ${plural(daysSinceCheckIn, 'day')}`,
      message: `Satchel has it in service, but it last checked in with ${brand} on ${formatDateTime(fields.lastCheckInAt)}. Is it still in use?`,
    });
  }

  const mdmStatus = text(fields.mdmStatus);
  if (
    device.status === 'in_service' &&
    mdmStatus &&
    provider.unusableStatuses.includes(mdmStatus.toUpperCase())
  ) {
    warnings.push({
      key: 'unusable-status',
      color: 'red',
      title: `${mdmStatus.charAt(0).toUpperCase()}${mdmStatus.slice(1).toLowerCase()} in ${brand}`,
      message: `${brand} reports this device as ${mdmStatus}, but Satchel has it in service.`,
    });
  }

  if (
    (device.status === 'lost' || device.status === 'stolen') &&
    daysSinceCheckIn !== null &&
    daysSinceCheckIn <= RECENT_CHECK_IN_DAYS
  ) {
    const address = lastKnownAddress(record);
    warnings.push({
      key: 'lost-in-use',
      color: 'red',
      title: `${STATUS_LABELS[device.status]}, but checked in recently`,
      message: `It checked in with ${brand} on ${formatDateTime(fields.lastCheckInAt)}${
        address ? ` from ${address}` : ''
      }.`,
    });
  }

  const holder = text(device.currentAssignment?.person.email);
  if (holder) {
    const annotated = text(record.extras.annotatedUser);
    const recent = text(fields.recentUsers?.[0]);
    const differing: string[] = [];
    const annotatedDiffers = annotated !== null && !sameEmail(annotated, holder);
    const recentDiffers = recent !== null && !sameEmail(recent, holder);
    if (annotatedDiffers && recentDiffers && sameEmail(annotated, recent)) {
      differing.push(`${brand} has ${annotated} as its annotated user, and they used it last`);
    } else {
      if (annotatedDiffers) differing.push(`the user annotated in ${brand} is ${annotated}`);
      if (recentDiffers) differing.push(`the most recent user is ${recent}`);
    }
    if (differing.length > 0) {
      warnings.push({
        key: 'user-mismatch',
        color: 'yellow',
        title: 'Used by someone else?',
        message: `Checked out to ${holder}, but ${differing.join(' and ')}.`,
      });
    }
  }

  const duplicates = duplicateIds(record);
  if (duplicates.length > 0) {
    warnings.push({
      key: 'duplicates',
      color: 'yellow',
      title: 'Enrolled more than once',
      message: `${brand} has ${plural(duplicates.length, 'other record')} with this serial number (re-enrolment): ${duplicates.join(', ')}. Satchel shows the one that checked in last; the ${duplicates.length === 1 ? 'other is' : 'others are'} probably left over from an earlier enrolment.`,
    });
  }
  return warnings;
}

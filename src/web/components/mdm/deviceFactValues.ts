import type { NormalizedFields } from '../../../common/mdm.ts';
import { formatBytes, formatDateTime, formatRelative } from '../../lib/format.ts';
import type { DeviceFact } from '../../providers/types.ts';

/** What a provider record holds as text, or null for what it leaves empty. */
export function factText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/** Providers send MAC addresses as 12 hex digits; people read them with colons. */
export function formatMac(mac: string): string {
  return /^[0-9a-f]{12}$/i.test(mac) ? (mac.match(/../g) ?? [mac]).join(':').toLowerCase() : mac;
}

/** A record's MAC addresses as people read them, or null without any. */
export function macAddressesFact(macs: readonly string[] | undefined): string | null {
  return macs && macs.length > 0 ? macs.map(formatMac).join(', ') : null;
}

/** "12 GB free of 64 GB", or the total alone. */
export function storageFact(
  free: number | null | undefined,
  total: number | null | undefined,
): string | null {
  if (typeof total !== 'number') return null;
  if (typeof free !== 'number') return formatBytes(total);
  return `${formatBytes(free)} free of ${formatBytes(total)}`;
}

/** When the device last checked in (and how long ago), then when it was enrolled. */
export function checkInFacts(fields: Partial<NormalizedFields>): DeviceFact[] {
  return [
    {
      label: 'Last check-in',
      value: fields.lastCheckInAt ? formatDateTime(fields.lastCheckInAt) : null,
      detail: fields.lastCheckInAt ? formatRelative(fields.lastCheckInAt) : null,
    },
    { label: 'Enrolled', value: fields.enrolledAt ? formatDateTime(fields.enrolledAt) : null },
  ];
}

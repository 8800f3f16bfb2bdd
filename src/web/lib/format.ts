const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A timestamp in the user's locale and time zone, e.g. "Mar 4, 2026, 2:05 PM". */
export function formatDateTime(iso: string | null | undefined, fallback = '—'): string {
  if (!iso) return fallback;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatDate(iso: string | null | undefined, fallback = '—'): string {
  if (!iso) return fallback;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

export function isPast(iso: string | null | undefined): boolean {
  return Boolean(iso) && new Date(iso as string).getTime() <= Date.now();
}

const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * A calendar date such as a purchase date (`2026-03-04`) in the user's locale. Parsed as a local date, so it
 * never shows as the day before in time zones west of UTC.
 */
export function formatDay(value: string | null | undefined, fallback = '—'): string {
  if (!value) return fallback;
  const match = CALENDAR_DAY.exec(value);
  if (!match) return value;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? value : dateOnly.format(date);
}

const count = new Intl.NumberFormat();

/** A count with the user's digit grouping, e.g. "1,234". */
export function formatCount(value: number): string {
  return count.format(value);
}

/** "1 device", "3 devices". */
export function plural(value: number, one: string, many = `${one}s`): string {
  return `${formatCount(value)} ${value === 1 ? one : many}`;
}

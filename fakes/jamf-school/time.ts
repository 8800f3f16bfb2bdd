/**
 * Jamf School writes times as "YYYY-MM-DD HH:MM:SS" without a zone (the list's `lastCheckin`, `modified`);
 * the single-device answer adds the zone the way PHP serialises a DateTime.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Swedish is the locale whose date and time format is "YYYY-MM-DD HH:MM:SS".
    formatter = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** "YYYY-MM-DD HH:MM:SS" of an instant in a zone. */
export function formatJamfTime(ms: number, timeZone = 'UTC'): string {
  if (timeZone === 'UTC') return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  return formatterFor(timeZone).format(ms);
}

/** PHP's JSON form of a DateTime: `{date: "YYYY-MM-DD HH:MM:SS.000000", timezone_type: 3, timezone}`. */
export function phpDateTime(
  time: string,
  timeZone: string,
): { date: string; timezone_type: number; timezone: string } {
  return { date: `${time}.000000`, timezone_type: 3, timezone: timeZone };
}

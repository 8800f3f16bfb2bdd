/**
 * Jamf School writes times as "YYYY-MM-DD HH:MM:SS" with no zone: the wall-clock time of its instance's time
 * zone. Its single-device answer writes the same time as PHP serialises a DateTime, which names the zone
 * (`{date, timezone_type, timezone}`). Satchel stores ISO 8601 in UTC, so both are turned into the instant
 * they mean. Node has no Temporal yet; Intl's time zone data answers the one question needed here: how far a
 * zone is from UTC at an instant.
 */

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;
/** PHP's `timezone_type` 1: a UTC offset such as "+10:00". */
const UTC_OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds (whole seconds). */
function zoneOffsetMs(timeZone: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = Date.UTC(
    parts.year as number,
    (parts.month as number) - 1,
    parts.day as number,
    parts.hour as number,
    parts.minute as number,
    parts.second as number,
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a zone's wall-clock time means. The offset is read at a first guess and again at the result, which
 * settles it on either side of a daylight-saving change. A time the change skips or repeats (one hour a year)
 * gets one of the two offsets around it: off by an hour at worst, for a check-in time.
 */
function wallTimeToInstant(wall: number, timeZone: string): number {
  const guess = wall - zoneOffsetMs(timeZone, wall);
  return wall - zoneOffsetMs(timeZone, guess);
}

/** The wall-clock time as if it were UTC (ms), or null when the text is not a real date and time. */
function parseWallTime(text: string): number | null {
  const match = WALL_TIME.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  const millis = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const wall = Date.UTC(year as number, (month as number) - 1, day, hour, minute, second, millis);
  const date = new Date(wall);
  // "0000-00-00 00:00:00" (never checked in) and impossible dates are no time at all.
  const real =
    (year as number) > 1970 && date.getUTCMonth() === (month as number) - 1 && date.getUTCDate() === day;
  return real ? wall : null;
}

/** PHP's DateTime as JSON: `{date: "2026-11-20 08:15:00.000000", timezone_type: 3, timezone: "UTC"}`. */
interface PhpDateTime {
  date?: unknown;
  timezone_type?: unknown;
  timezone?: unknown;
}

type Zone = { iana: string } | { offsetMs: number };

/**
 * The zone a PHP DateTime names: an offset ("+10:00", `timezone_type` 1) or an IANA name (type 3), or null.
 * An abbreviation (type 2, "EST", "BST") is left out: abbreviations are ambiguous, and the IANA database reads
 * some of them as other zones than PHP does (BST is Bangladesh there, British Summer Time in PHP).
 */
function phpZone(php: PhpDateTime): Zone | null {
  const zone = php.timezone;
  if (typeof zone !== 'string') return null;
  const offset = UTC_OFFSET.exec(zone);
  if (offset) {
    const sign = offset[1] === '-' ? -1 : 1;
    return { offsetMs: sign * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000 };
  }
  if (php.timezone_type === 2 || (zone !== 'UTC' && !zone.includes('/'))) return null;
  try {
    formatterFor(zone);
    return { iana: zone };
  } catch {
    return null;
  }
}

/**
 * A Jamf School time as ISO 8601 in UTC, or null when there is none. `instanceZone` is the zone a time without
 * one is read in (the connection's setting); a PHP DateTime's own zone wins over it.
 */
export function jamfTimeToIso(value: unknown, instanceZone: string): string | null {
  let text: unknown = value;
  let zone: Zone = { iana: instanceZone };
  if (value !== null && typeof value === 'object') {
    const php = value as PhpDateTime;
    text = php.date;
    zone = phpZone(php) ?? zone;
  }
  if (typeof text !== 'string') return null;
  const wall = parseWallTime(text);
  if (wall === null) return null;
  const instant = 'offsetMs' in zone ? wall - zone.offsetMs : wallTimeToInstant(wall, zone.iana);
  return new Date(instant).toISOString();
}

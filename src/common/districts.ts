import { z } from 'zod';

/** What a district decides about its own data: how long API tokens and MDM usage history may live. */
export const DistrictSettings = z.object({
  /** The longest an API token can live; a token asked for without an expiry gets this. */
  tokenMaxLifetimeDays: z.number().int().min(1).max(3650),
  /** Days the MDM's record of who used a device, and from which network address, is kept. */
  mdmHistoryRetentionDays: z.number().int().min(1).max(3650),
});
export type DistrictSettings = z.infer<typeof DistrictSettings>;

export const UpdateDistrictSettingsRequest = DistrictSettings.partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'Nothing to change');
export type UpdateDistrictSettingsRequest = z.input<typeof UpdateDistrictSettingsRequest>;

/** Whether the runtime knows `zone` as an IANA time zone ("America/Chicago"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

export const TimeZone = z
  .string()
  .trim()
  .max(64)
  .refine(isTimeZone, 'Use a time zone such as America/Chicago or UTC');

/** The district as everyone in it sees it: its name and the time zone its exports are written in. */
export const DistrictProfile = z.object({
  name: z.string(),
  /** Where the district works: times written into exports are in this zone. Null until someone sets it. */
  timeZone: z.string().nullable(),
});
export type DistrictProfile = z.infer<typeof DistrictProfile>;

export const UpdateDistrictProfile = z.strictObject({ timeZone: TimeZone });
export type UpdateDistrictProfile = z.input<typeof UpdateDistrictProfile>;

/**
 * A moment as a spreadsheet shows it in the district's zone: "2026-11-19 04:00 CST" (sortable, readable by
 * Excel and Sheets, and saying which zone it is in).
 */
export function formatInZone(moment: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    })
      .formatToParts(moment)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

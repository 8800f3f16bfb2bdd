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

import { z } from 'zod';
import { DEVICE_STATUSES } from './inventory.ts';
import { PROVIDER_KEYS } from './mdm.ts';
import { MDM_SOURCE_CONDITIONS } from './mdm-source.ts';

/**
 * `GET /api/v1/reports/mdm?provider=<key>`: the district's fleet as one of its MDMs sees it (without `provider`,
 * the first provider with data or a connection), with coverage by every provider. Every count is the device
 * list's own count for a filter, and comes with `devicesQuery`, that filter as the query string of
 * `GET /api/v1/devices` (and of the /devices page), so a figure and the list behind it cannot disagree.
 *
 * The filters follow the per-device warnings (src/web/lib/mdmWarnings.ts): only records the provider still
 * returns (`matched`) count; a user mismatch compares the holder's email with the annotated and the most
 * recent user; a duplicate is a record listing other provider ids for its serial. "Not seen in N days" counts
 * in-service devices whose last check-in is before the day N days ago (UTC) or unknown, where the warning
 * waits for more than N whole days and says nothing about an unknown check-in.
 */
export const MdmReportQuery = z.strictObject({
  provider: z.enum(PROVIDER_KEYS).optional(),
});
export type MdmReportQuery = z.input<typeof MdmReportQuery>;

const DevicesQuery = z
  .string()
  .describe('Query string for GET /api/v1/devices and the /devices page listing exactly these devices');

/** A count and the device list behind it. */
export const ReportFigure = z.object({ count: z.number().int(), devicesQuery: DevicesQuery });
export type ReportFigure = z.infer<typeof ReportFigure>;

const Day = z.iso.date();

export const AueYear = ReportFigure.extend({
  year: z.number().int(),
});
export type AueYear = z.infer<typeof AueYear>;

export const AueByYear = z.object({
  /** Every year from the earliest to the latest expiration, including years with no devices. */
  years: z.array(AueYear),
  /** Matched, tracked devices whose record has no (readable) expiration date; no device-list filter exists for these. */
  unknown: z.number().int(),
  /** All matched, tracked devices: the years plus unknown. */
  total: ReportFigure,
  /** Of those, the devices whose expiration has already come (before today): they get no more updates. */
  expired: ReportFigure,
});
export type AueByYear = z.infer<typeof AueByYear>;

export const CohortGroup = ReportFigure.extend({
  /** The device's school; null for devices with no school, which no device-list filter can single out. */
  school: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  /** PK = -1, K = 0, 1–12: the assigned student's grade. */
  grade: z.number().int().min(-1).max(12),
  expectedGraduation: Day,
  earliestAutoUpdateExpiration: Day,
  /** Null for the no-school group (the link could not exclude the other schools). */
  devicesQuery: DevicesQuery.nullable(),
});
export type CohortGroup = z.infer<typeof CohortGroup>;

export const AueCohorts = z.object({
  /** Devices checked out to a student whose auto-updates end before that student's expected graduation. */
  total: ReportFigure,
  /** By school name (no school last), then grade. */
  groups: z.array(CohortGroup),
});
export type AueCohorts = z.infer<typeof AueCohorts>;

export const NotSeenFigure = ReportFigure.extend({
  days: z.number().int(),
  /** In-service devices with a matched record whose last check-in is before this day, or unknown. */
  since: Day,
});
export type NotSeenFigure = z.infer<typeof NotSeenFigure>;

export const Coverage = z.object({
  /** The inventory statuses the connection syncs (its settings, or the default). */
  syncedStatuses: z.array(z.enum(DEVICE_STATUSES)),
  /** Devices with one of those statuses. */
  tracked: ReportFigure,
  /** Tracked devices the provider returned. */
  matched: ReportFigure,
  /** Tracked devices the provider did not return on the last complete pass. */
  notFound: ReportFigure,
  /** Tracked devices with no record yet (added since the last sync, or never synced). */
  neverSynced: ReportFigure,
  /**
   * Provider devices matching no inventory device, from the last successful full listing (only a full listing
   * sees the whole provider fleet; batch lookups ask about inventory serials only). Null: never counted.
   * A count only: Satchel never stores those devices.
   */
  outsideInventory: z
    .object({ count: z.number().int(), asOf: z.iso.datetime(), latestRunWasFullListing: z.boolean() })
    .nullable(),
});
export type Coverage = z.infer<typeof Coverage>;

/** One provider's coverage of the tracked devices, for the district's every provider side by side. */
export const ProviderCoverage = Coverage.extend({
  provider: z.object({ key: z.enum(PROVIDER_KEYS), name: z.string() }),
  /** Whether the provider's connection is active or syncing (its data may be out of date otherwise). */
  active: z.boolean(),
  /** Whether it still syncs, or its data is kept from its last sync (inactive, disconnected, failing). */
  condition: z.enum(MDM_SOURCE_CONDITIONS),
});
export type ProviderCoverage = z.infer<typeof ProviderCoverage>;

export const MdmReport = z.object({
  provider: z.object({ key: z.enum(PROVIDER_KEYS), name: z.string() }),
  /** Whether this provider still syncs, or the report reads data kept from its last sync. */
  condition: z.enum(MDM_SOURCE_CONDITIONS),
  /** Providers with data or a connection in the district: the report can be read for each. */
  providers: z.array(z.object({ key: z.enum(PROVIDER_KEYS), name: z.string() })),
  /** Coverage by each of those providers. */
  coverageByProvider: z.array(ProviderCoverage),
  /**
   * Devices with a status some connection syncs (every default status when none is set) that no provider
   * returned: not found by any, or never synced.
   */
  inNoMdm: ReportFigure,
  /** False when the district has no records and no successful sync for this provider. */
  hasData: z.boolean(),
  /** Every figure is as of these: the newest record's fetch and the last successful sync's end. */
  asOf: z.object({
    recordsFetchedAt: z.iso.datetime().nullable(),
    lastSuccessfulSyncAt: z.iso.datetime().nullable(),
  }),
  /** The server's day (UTC) the relative figures (not seen, graduation) were worked out from. */
  today: Day,
  autoUpdateExpirationByYear: AueByYear,
  aueCohorts: AueCohorts,
  notSeen: z.array(NotSeenFigure),
  userMismatches: ReportFigure,
  /** Matched records that disagree with the inventory: on any of model, asset tag and user, and on each. */
  conflicts: z.object({ any: ReportFigure, model: ReportFigure, assetTag: ReportFigure, user: ReportFigure }),
  duplicates: ReportFigure,
  coverage: Coverage,
});
export type MdmReport = z.infer<typeof MdmReport>;

/** The not-seen thresholds (days); the first is the per-device warning's STALE_CHECK_IN_DAYS. */
export const NOT_SEEN_DAYS = [30, 60, 90] as const;

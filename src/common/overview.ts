import { z } from 'zod';
import { DEVICE_STATUSES } from './inventory.ts';
import { CONNECTION_STATES, PROVIDER_KEYS } from './mdm.ts';
import { NotSeenFigure, ProviderCoverage, ReportFigure } from './reports.ts';

/**
 * `GET /api/v1/overview`: the home page's figures for every role. Like the reports, each count comes with
 * `devicesQuery`, the device list's filter for exactly those devices.
 */
export const StatusFigure = ReportFigure.extend({ status: z.enum(DEVICE_STATUSES) });
export const SchoolFigure = ReportFigure.extend({
  /** Null: devices with no school (`school=none`). */
  school: z.object({ id: z.uuid(), name: z.string() }).nullable(),
});

/** One provider's sync health, read-only for every role. */
export const SyncHealth = z.object({
  provider: z.object({ key: z.enum(PROVIDER_KEYS), name: z.string() }),
  state: z.enum(CONNECTION_STATES),
  statusReason: z.string().nullable(),
  lastRun: z
    .object({ state: z.enum(['succeeded', 'failed']), at: z.iso.datetime(), error: z.string().nullable() })
    .nullable(),
  /** When the schedule runs the next sync; null when it is paused or the provider is not active. */
  nextSyncAt: z.iso.datetime().nullable(),
  syncing: z.boolean(),
  /** The connection needs someone: its last run failed, or it lost its authorization. */
  failing: z.boolean(),
});
export type SyncHealth = z.infer<typeof SyncHealth>;

export const Overview = z.object({
  /** The server's day (UTC) the relative figures were worked out from. */
  today: z.iso.date(),
  total: ReportFigure,
  byStatus: z.array(StatusFigure),
  bySchool: z.array(SchoolFigure),
  /** Coverage of each provider with data or a connection (the Reports page's figures). */
  coverage: z.array(ProviderCoverage),
  /** In-service devices whose most recent MDM check-in is 30 days old or more, or unknown. */
  notSeen: NotSeenFigure,
  autoUpdate: z.object({
    /** July 1 to June 30. */
    schoolYear: z.object({ from: z.iso.date(), to: z.iso.date() }),
    /** Devices in use whose auto-update expiration is still ahead but within this school year. */
    expiresThisSchoolYear: ReportFigure,
    /** Devices in use whose auto-update expiration has passed. */
    expired: ReportFigure,
  }),
  syncHealth: z.array(SyncHealth),
});
export type Overview = z.infer<typeof Overview>;

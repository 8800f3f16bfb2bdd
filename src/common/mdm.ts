import { z } from 'zod';
import { CONFLICT_KINDS } from './conflicts.ts';
import { DEVICE_STATUSES, type DeviceStatus } from './inventory.ts';
import { MDM_SOURCE_CONDITIONS } from './mdm-source.ts';
import { PROVIDER_KEYS, type ProviderKey } from './provider-keys.ts';

export { PROVIDER_KEYS, type ProviderKey };

export const CONNECTION_STATES = [
  'inactive',
  'needs_authorization',
  'active',
  'needs_reauthorization',
  'error',
] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** States in which a connection keeps syncing: `error` only says the last run failed; the next may not. */
export const SYNCING_STATES: readonly ConnectionState[] = ['active', 'error'];

/**
 * How an administrator authorizes a provider: in the browser (OAuth, or Microsoft's admin consent), or by
 * pasting credentials whose shape the provider defines. The method keys (`oauth`, `service_account`, …) are the
 * provider's own.
 */
export const AUTH_METHOD_KINDS = ['browser', 'credentials'] as const;
export type AuthMethodKind = (typeof AUTH_METHOD_KINDS)[number];

/**
 * Which requests a run may send. `tracked_only`: only lookups that name tracked devices (by serial, or by an id
 * an earlier lookup returned), never a listing of the provider's fleet, not even a one-row listing used as a
 * count. `fewest_calls`: whatever costs the fewest API calls, listings included (untracked devices are counted
 * and dropped, but their data passes through Satchel).
 */
export const REQUEST_SCOPES = ['tracked_only', 'fewest_calls'] as const;
export type RequestScope = (typeof REQUEST_SCOPES)[number];

export const DEFAULT_SYNCED_STATUSES: DeviceStatus[] = DEVICE_STATUSES.filter(
  (status) => status !== 'retired' && status !== 'disposed',
);

/**
 * Settings every provider shares: how often to sync, which inventory statuses are asked about, and which
 * requests a run may send. A provider's own schema extends it with its fields and its `authMethod`.
 */
export const CommonSettings = z.strictObject({
  intervalMinutes: z
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 60)
    .default(360),
  syncedStatuses: z.array(z.enum(DEVICE_STATUSES)).min(1).default(DEFAULT_SYNCED_STATUSES),
  /** Most API calls one run may make; null: three times the planner's estimate (at least 100). */
  callBudget: z.number().int().min(1).max(1_000_000).nullable().default(null),
  requestScope: z.enum(REQUEST_SCOPES).default('tracked_only'),
});
export type CommonSettings = z.infer<typeof CommonSettings>;

/** One way to authorize a provider, as its tile offers it. */
export const AuthMethodOption = z.object({
  key: z.string(),
  kind: z.enum(AUTH_METHOD_KINDS),
  /** Why it cannot be used on this installation right now (e.g. no OAuth client configured), or null. */
  unavailableReason: z.string().nullable(),
});
export type AuthMethodOption = z.infer<typeof AuthMethodOption>;

export const ProviderTile = z.object({
  key: z.enum(PROVIDER_KEYS),
  name: z.string(),
  description: z.string(),
  guideUrl: z.string(),
  authMethods: z.array(AuthMethodOption),
  /**
   * The provider's district-entered address may use http and private addresses on this installation
   * (SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS); false for providers without such an address.
   */
  privateUrlsAllowed: z.boolean(),
  state: z.enum(CONNECTION_STATES),
  statusReason: z.string().nullable(),
  statusChangedAt: z.iso.datetime().nullable(),
  settings: z.record(z.string(), z.unknown()).nullable(),
  authorizedAccount: z.string().nullable(),
  authorizedAt: z.iso.datetime().nullable(),
  hasStoredAuthorization: z.boolean(),
  lastSync: z.record(z.string(), z.unknown()).nullable(),
  nextSyncAt: z.iso.datetime().nullable(),
  /** The queued or running sync, for the tile's progress bar. */
  activeRun: z
    .object({
      id: z.uuid(),
      state: z.enum(['queued', 'running']),
      counters: z.record(z.string(), z.number()),
    })
    .nullable(),
});
export type ProviderTile = z.infer<typeof ProviderTile>;

export const ProviderList = z.object({ providers: z.array(ProviderTile) });
export const ProviderParams = z.strictObject({ key: z.enum(PROVIDER_KEYS) });
export const ActivateRequest = z.strictObject({ settings: z.record(z.string(), z.unknown()).default({}) });
export const SettingsRequest = z.strictObject({ settings: z.record(z.string(), z.unknown()) });
export const AuthorizeResponse = z.object({ authorizationUrl: z.string() });
/** The provider's own credentials (its schema checks them): a service-account key, a client id and secret, … */
export const CredentialsRequest = z.record(z.string(), z.unknown());

/** The fields every provider maps its data onto; these are what the product shows, filters and exports. */
export const NormalizedFields = z.object({
  mdmStatus: z.string().nullable(),
  lastCheckInAt: z.string().nullable(),
  osName: z.string().nullable(),
  osVersion: z.string().nullable(),
  model: z.string().nullable(),
  orgUnit: z.string().nullable(),
  primaryUser: z.string().nullable(),
  recentUsers: z.array(z.string()),
  ipAddress: z.string().nullable(),
  macAddresses: z.array(z.string()),
  enrolledAt: z.string().nullable(),
  autoUpdateExpiration: z.string().nullable(),
  storageFreeBytes: z.number().nullable(),
  storageTotalBytes: z.number().nullable(),
  batteryHealth: z.string().nullable(),
  /** Intune's compliance state (compliant, noncompliant, inGracePeriod, …); absent where a provider has none. */
  compliance: z.string().nullable().optional(),
  /** Whether the device is in lost mode (Jamf); absent where a provider has none. */
  lostMode: z.boolean().nullable().optional(),
  /** Whether the device is supervised (Apple devices); absent where a provider has none. */
  supervised: z.boolean().nullable().optional(),
});
export type NormalizedFields = z.infer<typeof NormalizedFields>;

/** One way a run could ask the provider, with what it would cost. */
export const StrategyOption = z.object({
  strategy: z.string(),
  apiCalls: z.number(),
  /** Whether a completed pass sees every tracked device the provider knows (needed for `not_found`). */
  complete: z.boolean(),
  /** Whether it names only tracked devices (allowed under `tracked_only`); a listing does not. */
  targeted: z.boolean().default(false),
});
export type StrategyOption = z.infer<typeof StrategyOption>;

/**
 * What a run planned, stored on the run (`estimate`). Runs recorded before a field existed read its default:
 * they were planned under `fewest_calls`.
 */
export const RunEstimate = z.object({
  apiCalls: z.number(),
  complete: z.boolean().default(true),
  fullPass: z.boolean().default(true),
  requestScope: z.enum(REQUEST_SCOPES).default('fewest_calls'),
  fleetSize: z.number().nullable().default(null),
  fleetCountedAt: z.string().nullable().default(null),
  fleetCountScope: z.string().nullable().default(null),
  changedSince: z.string().nullable().default(null),
  changedCount: z.number().nullable().default(null),
  trackedCount: z.number().default(0),
  options: z.array(StrategyOption).default([]),
  /** What an exact lookup by serial can miss at this provider, said on runs that look devices up. */
  lookupNote: z.string().nullable().default(null),
  /** Set when the run changed strategy part-way (a provider ignored a lookup's filter), and why. */
  fallback: z.object({ from: z.string(), to: z.string(), reason: z.string() }).nullable().default(null),
});
export type RunEstimate = z.infer<typeof RunEstimate>;

/** The planner's estimate of API calls per sync, for each request scope, as the settings form shows them. */
export const ScopeEstimate = z.object({
  /** A complete pass: Sync now, the first run, and the daily full pass. */
  fullSync: z.number().int().nonnegative(),
  /** A scheduled run between full passes (which may list only what changed, where allowed). */
  scheduledSync: z.number().int().nonnegative(),
  strategy: z.string(),
});
export const RequestScopeEstimates = z.object({
  trackedCount: z.number().int().nonnegative(),
  /** The provider's fleet as last counted, or null when never counted. */
  fleetSize: z.number().int().nonnegative().nullable(),
  scopes: z.object({ tracked_only: ScopeEstimate, fewest_calls: ScopeEstimate }),
  /** What exact lookups by serial can miss at this provider. */
  lookupNote: z.string(),
});
export type RequestScopeEstimates = z.infer<typeof RequestScopeEstimates>;

export const SyncRun = z.object({
  id: z.uuid(),
  provider: z.enum(PROVIDER_KEYS),
  trigger: z.enum(['schedule', 'manual', 'authorization']),
  strategy: z.string().nullable(),
  estimate: z.record(z.string(), z.unknown()).nullable(),
  state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  counters: z.record(z.string(), z.number()),
  error: z.string().nullable(),
  queuedAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
});
export type SyncRun = z.infer<typeof SyncRun>;
/** A page of a provider's runs, newest first; `nextBefore` asks for the page after it (null: no more runs). */
export const SyncRunList = z.object({ runs: z.array(SyncRun), nextBefore: z.uuid().nullable() });
export type SyncRunList = z.infer<typeof SyncRunList>;
export const SyncRunQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Keyset cursor: only runs queued before this run of the same list. */
  before: z.uuid().optional(),
});

export const SyncUsageQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(90).default(30),
});
/** API calls a provider's runs made per UTC day (the day each run started), oldest first, days without runs included. */
export const SyncUsage = z.object({
  provider: z.enum(PROVIDER_KEYS),
  from: z.iso.date(),
  to: z.iso.date(),
  days: z.array(z.object({ day: z.iso.date(), apiCalls: z.number().int().nonnegative() })),
  total: z.number().int().nonnegative(),
});
export type SyncUsage = z.infer<typeof SyncUsage>;
export const RunParams = z.strictObject({ id: z.uuid() });

/** What one provider has attached to a device, always with its "as of" time. */
export const DeviceMdmRecord = z.object({
  provider: z.enum(PROVIDER_KEYS),
  providerName: z.string(),
  providerActive: z.boolean(),
  matchState: z.enum(['matched', 'not_found']),
  providerDeviceId: z.string().nullable(),
  fields: NormalizedFields.partial(),
  extras: z.record(z.string(), z.unknown()),
  fetchedAt: z.iso.datetime(),
  consoleUrl: z.string().nullable(),
  /** Whether the provider still syncs; anything else is data kept from its last sync (as of `fetchedAt`). */
  condition: z.enum(MDM_SOURCE_CONDITIONS),
  /** The provider's asset tag (from the extra it keeps it in), for comparing with the inventory's. */
  assetTag: z.string().nullable(),
  /** Where the record disagrees with the inventory (matched records only; src/common/conflicts.ts). */
  conflicts: z.array(z.object({ kind: z.enum(CONFLICT_KINDS), inventory: z.string(), mdm: z.string() })),
});
export type DeviceMdmRecord = z.infer<typeof DeviceMdmRecord>;
export const DeviceMdm = z.record(z.string(), DeviceMdmRecord);

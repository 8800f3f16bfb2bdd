import { z } from 'zod';
import { DEVICE_STATUSES, type DeviceStatus } from './inventory.ts';

export const PROVIDER_KEYS = ['google'] as const;
export type ProviderKey = (typeof PROVIDER_KEYS)[number];

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

export const AUTH_METHODS = ['oauth', 'service_account'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export const DEFAULT_SYNCED_STATUSES: DeviceStatus[] = DEVICE_STATUSES.filter(
  (status) => status !== 'retired' && status !== 'disposed',
);

/** Settings every provider shares: how often to sync and which inventory statuses are asked about. */
export const CommonSettings = z.strictObject({
  intervalMinutes: z
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 60)
    .default(360),
  syncedStatuses: z.array(z.enum(DEVICE_STATUSES)).min(1).default(DEFAULT_SYNCED_STATUSES),
  authMethod: z.enum(AUTH_METHODS).default('oauth'),
  /** Most API calls one run may make; null: three times the planner's estimate (at least 100). */
  callBudget: z.number().int().min(1).max(1_000_000).nullable().default(null),
});

export const GoogleSettings = CommonSettings.extend({
  customerId: z
    .string()
    .trim()
    .regex(/^(my_customer|C[0-9a-z]{5,20})$/, 'Use my_customer or your Google customer ID (C0…)')
    .default('my_customer'),
  orgUnitPaths: z
    .array(
      z
        .string()
        .trim()
        .regex(/^\/[^\n]{0,500}$/, 'Org unit paths start with /'),
    )
    .max(50)
    .default([]),
  impersonatedAdmin: z.email().nullable().default(null),
  /** Privacy: how many of a device's recent users are kept (0 keeps none). */
  recentUsersKept: z.number().int().min(0).max(10).default(10),
});
export type GoogleSettings = z.infer<typeof GoogleSettings>;

export const ProviderTile = z.object({
  key: z.enum(PROVIDER_KEYS),
  name: z.string(),
  description: z.string(),
  guideUrl: z.string(),
  authMethods: z.array(z.enum(AUTH_METHODS)),
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
export const CredentialsRequest = z.strictObject({
  serviceAccountKey: z.union([z.string().max(20_000), z.record(z.string(), z.unknown())]),
  impersonatedAdmin: z.email(),
});

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
});
export type NormalizedFields = z.infer<typeof NormalizedFields>;

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
});
export type DeviceMdmRecord = z.infer<typeof DeviceMdmRecord>;
export const DeviceMdm = z.record(z.string(), DeviceMdmRecord);

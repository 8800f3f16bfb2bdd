import { z } from 'zod';
import type { DeviceStatus } from '../../common/inventory.ts';
import type { ConnectionState, ProviderTile, SyncRun } from '../../common/mdm.ts';
import { ApiError, type FieldIssue } from '../api/client.ts';
import type { StrategyUi } from '../providers/types.ts';
import { formatCount, formatDuration, plural } from './format.ts';
import { STATUS_LABELS } from './inventory.ts';

/** What a tile's status badge shows: the connection state, or `syncing` while a sync runs. */
export type TileStatus = ConnectionState | 'syncing';

export const TILE_STATUS: Record<TileStatus, { label: string; color: string }> = {
  inactive: { label: 'Inactive', color: 'gray' },
  needs_authorization: { label: 'Needs authorization', color: 'yellow' },
  active: { label: 'Active', color: 'green' },
  syncing: { label: 'Syncing', color: 'blue' },
  error: { label: 'Error', color: 'red' },
  needs_reauthorization: { label: 'Needs re-authorization', color: 'orange' },
};

/** An active tile shows as Syncing while one of its runs is queued or running. */
export function tileStatus(tile: ProviderTile, syncing = false): TileStatus {
  if (tile.state === 'active' && syncing) return 'syncing';
  return tile.state;
}

/** The sync intervals offered (minutes); the server accepts any whole number from 60 to 10,080. */
export const INTERVAL_OPTIONS: readonly { value: number; label: string }[] = [
  { value: 60, label: 'Every hour' },
  { value: 120, label: 'Every 2 hours' },
  { value: 240, label: 'Every 4 hours' },
  { value: 360, label: 'Every 6 hours' },
  { value: 720, label: 'Every 12 hours' },
  { value: 1440, label: 'Every day' },
  { value: 2880, label: 'Every 2 days' },
  { value: 10080, label: 'Every 7 days' },
];

export function intervalLabel(minutes: number): string {
  const known = INTERVAL_OPTIONS.find((option) => option.value === minutes);
  if (known) return known.label;
  if (minutes % 60 === 0) return `Every ${minutes / 60} hours`;
  return `Every ${minutes} minutes`;
}

/** The sync interval choices, plus a stored value set some other way (e.g. through the API) so it is kept. */
export function intervalOptions(current: number): { value: string; label: string }[] {
  const options = INTERVAL_OPTIONS.map((option) => ({ value: String(option.value), label: option.label }));
  if (!INTERVAL_OPTIONS.some((option) => option.value === current)) {
    options.push({ value: String(current), label: intervalLabel(current) });
    options.sort((a, b) => Number(a.value) - Number(b.value));
  }
  return options;
}

const SCOPE_LABELS: Record<string, string> = {
  tracked_only: 'Only devices in Satchel',
  fewest_calls: 'Fewest API calls',
};

/** The tile's facts about the settings every provider shares. */
export function commonSummary(
  tile: ProviderTile,
  methodLabels: Record<string, { label: string }>,
): { label: string; value: string }[] {
  const settings = tile.settings ?? {};
  const statuses = Array.isArray(settings.syncedStatuses) ? (settings.syncedStatuses as DeviceStatus[]) : [];
  const method = storedAuthMethod(tile);
  return [
    ...(typeof settings.intervalMinutes === 'number'
      ? [{ label: 'Sync', value: intervalLabel(settings.intervalMinutes) }]
      : []),
    ...(statuses.length > 0
      ? [{ label: 'Statuses', value: statuses.map((status) => STATUS_LABELS[status]).join(', ') }]
      : []),
    {
      label: 'Asks about',
      value: SCOPE_LABELS[String(settings.requestScope)] ?? SCOPE_LABELS.tracked_only!,
    },
    ...(method ? [{ label: 'Method', value: methodLabels[method]?.label ?? method }] : []),
  ];
}

/** The auth method the stored settings name, when the provider offers it. */
export function storedAuthMethod(tile: ProviderTile): string | null {
  const method = tile.settings?.authMethod;
  return tile.authMethods.some((offered) => offered.key === method) ? (method as string) : null;
}

/**
 * Server validation issues for a settings form: `settings.orgUnitPaths.2` belongs to the `orgUnitPaths` field.
 * Returns the errors per field and the issue paths they came from (so FormError lists only the others).
 */
export function settingsFieldErrors(error: unknown, fields: readonly string[]) {
  return fieldErrorsUnder('settings', error, fields);
}

/** The same for a credentials form: `credentials.clientSecret` belongs to the `clientSecret` field. */
export function credentialsFieldErrors(error: unknown, fields: readonly string[]) {
  return fieldErrorsUnder('credentials', error, fields);
}

function fieldErrorsUnder(
  root: string,
  error: unknown,
  fields: readonly string[],
): { errors: Record<string, string>; placed: string[] } {
  const errors: Record<string, string> = {};
  const placed: string[] = [];
  if (!(error instanceof ApiError)) return { errors, placed };
  for (const issue of error.fieldIssues) {
    const field = fieldOf(root, issue);
    if (!field || !fields.includes(field)) continue;
    placed.push(issue.path);
    if (!(field in errors)) errors[field] = issue.message;
  }
  return { errors, placed };
}

function fieldOf(root: string, issue: FieldIssue): string | undefined {
  return issue.path.startsWith(`${root}.`) ? issue.path.slice(root.length + 1).split('.')[0] : undefined;
}

/** Only same-origin paths and http(s) addresses become links. */
export function safeHref(href: string): string | undefined {
  if (href.startsWith('/') && !href.startsWith('//')) return href;
  return /^https?:\/\//i.test(href) ? href : undefined;
}

// ── Sync runs ──────────────────────────────────────────────────────────────────────────────────────────

/** The counters every run carries (the server sends them as a plain record). */
export interface SyncCounters {
  considered: number;
  matched: number;
  changed: number;
  unchanged: number;
  notFound: number;
  unmatchedProviderDevices: number;
  apiCalls: number;
  retries: number;
  pages: number;
}

const COUNTER_NAMES = [
  'considered',
  'matched',
  'changed',
  'unchanged',
  'notFound',
  'unmatchedProviderDevices',
  'apiCalls',
  'retries',
  'pages',
] as const satisfies readonly (keyof SyncCounters)[];

/** Counters with a missing or unusable value read as 0. */
export function countersOf(raw: Record<string, unknown> | null | undefined): SyncCounters {
  const counters = {} as SyncCounters;
  for (const name of COUNTER_NAMES) {
    const value = raw?.[name];
    counters[name] = typeof value === 'number' && Number.isFinite(value) ? value : 0;
  }
  return counters;
}

/** What the planner expected of a run; only known once the run has started. */
export interface SyncEstimate {
  apiCalls: number | null;
  fleetSize: number | null;
  trackedCount: number | null;
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The strategy that lists the provider's whole fleet: the only one that sees devices outside the inventory. */
const FULL_LISTING = 'full_listing';

/**
 * Provider devices outside the inventory, as a run counted them, or null when it did not count them: lookups
 * only ask about tracked devices and an incremental listing sees only what changed, so their 0 means "not
 * counted", not "none" (Reports shows the last full listing's count).
 */
export function outsideInventoryOf(run: Pick<SyncRun, 'strategy' | 'state' | 'counters'>): number | null {
  if (run.strategy !== FULL_LISTING || run.state !== 'succeeded') return null;
  return countersOf(run.counters).unmatchedProviderDevices;
}

export function estimateOf(run: Pick<SyncRun, 'estimate'>): SyncEstimate | null {
  if (!run.estimate) return null;
  return {
    apiCalls: finiteOrNull(run.estimate.apiCalls),
    fleetSize: finiteOrNull(run.estimate.fleetSize),
    trackedCount: finiteOrNull(run.estimate.trackedCount),
  };
}

export interface SyncProgress {
  /** 0–100, or null when nothing tells how far the run is (queued, or still planning). */
  percent: number | null;
  /** Devices looked up (batch lookup) or listed (full listing) so far, and of how many. */
  processed: number | null;
  total: number | null;
  apiCalls: number;
  estimatedApiCalls: number | null;
}

/**
 * How far an open run is: lookups go through the tracked devices a page at a time, a full listing through the
 * provider's whole fleet, as the provider's `strategies` say how many devices a page covers (the run does not
 * report devices processed, so progress is worked out). When that is unknown, the API calls made against the
 * planner's estimate stand in.
 */
export function syncProgress(run: SyncRun, strategies: Record<string, StrategyUi>): SyncProgress {
  const counters = countersOf(run.counters);
  const estimate = estimateOf(run);
  const estimatedApiCalls = estimate?.apiCalls ?? null;
  let processed: number | null = null;
  let total: number | null = null;
  const pages = run.strategy ? strategies[run.strategy]?.pages : undefined;
  if (run.state === 'running' && estimate && pages) {
    total = pages.of === 'fleet' ? estimate.fleetSize : estimate.trackedCount;
    processed = counters.pages * pages.devices;
  }
  let percent: number | null = null;
  if (processed !== null && total) {
    processed = Math.min(processed, total);
    percent = (processed / total) * 100;
  } else if (run.state === 'running' && estimatedApiCalls) {
    processed = null;
    percent = Math.min(counters.apiCalls / estimatedApiCalls, 1) * 100;
  }
  if (run.state === 'succeeded') percent = 100;
  return {
    percent: percent === null ? null : Math.round(Math.min(100, Math.max(0, percent))),
    processed,
    total,
    apiCalls: counters.apiCalls,
    estimatedApiCalls,
  };
}

function apiCallsText(made: number, estimated: number | null): string {
  if (estimated === null) return plural(made, 'API call');
  if (made > estimated) return `${plural(made, 'API call')} (estimate ${formatCount(estimated)})`;
  return `${formatCount(made)} of ${plural(estimated, 'API call')}`;
}

/** "Syncing… 1,200 of 3,000 devices · 4 of 11 API calls". */
export function syncProgressText(run: SyncRun, progress: SyncProgress): string {
  if (run.state === 'queued') return 'Waiting to start…';
  if (!run.estimate) return 'Syncing… planning the run';
  const parts: string[] = [];
  if (progress.processed !== null && progress.total !== null) {
    parts.push(`${formatCount(progress.processed)} of ${plural(progress.total, 'device')}`);
  }
  parts.push(apiCallsText(progress.apiCalls, progress.estimatedApiCalls));
  return `Syncing… ${parts.join(' · ')}`;
}

/** `lastSync` on a tile: the outcome of the latest finished run (ProviderTile types it as a plain record). */
const LastSync = z.object({
  runId: z.string().nullable().optional(),
  state: z.enum(['succeeded', 'failed']),
  at: z.string(),
  counters: z.record(z.string(), z.unknown()).nullable().optional(),
  error: z.string().nullable().optional(),
});

/** A finished run's outcome as the tile shows it, with the run's details when they are at hand. */
export interface SyncOutcome {
  runId: string | null;
  state: 'succeeded' | 'failed' | 'cancelled';
  at: string;
  counters: SyncCounters;
  error: string | null;
  /** The run itself (strategy, estimate, timing), when known. */
  run: SyncRun | null;
}

export function lastSyncOf(tile: ProviderTile): SyncOutcome | null {
  const parsed = LastSync.safeParse(tile.lastSync);
  if (!parsed.success) return null;
  return {
    runId: parsed.data.runId ?? null,
    state: parsed.data.state,
    at: parsed.data.at,
    counters: countersOf(parsed.data.counters),
    error: parsed.data.error ?? null,
    run: null,
  };
}

export function outcomeOfRun(run: SyncRun): SyncOutcome | null {
  if (run.state !== 'succeeded' && run.state !== 'failed' && run.state !== 'cancelled') return null;
  return {
    runId: run.id,
    state: run.state,
    at: run.finishedAt ?? run.queuedAt,
    counters: countersOf(run.counters),
    error: run.error,
    run,
  };
}

/**
 * "2,712 matched, 288 not found in Google, 34 changed · 3 API calls (estimate 3) · 4 s". The estimate and the
 * duration need the run; the tile's summary alone gives the counts.
 */
export function syncResultText(outcome: SyncOutcome, brand: string): string {
  const { counters, run } = outcome;
  const found = `${formatCount(counters.matched)} matched, ${formatCount(counters.notFound)} not found in ${brand}, ${formatCount(counters.changed)} changed`;
  const estimate = run ? estimateOf(run)?.apiCalls : null;
  const calls =
    estimate === null || estimate === undefined
      ? plural(counters.apiCalls, 'API call')
      : `${plural(counters.apiCalls, 'API call')} (estimate ${formatCount(estimate)})`;
  const parts = [found, calls];
  if (run?.startedAt && run.finishedAt) parts.push(formatDuration(run.startedAt, run.finishedAt));
  return parts.join(' · ');
}

export const RUN_STATE: Record<SyncRun['state'], { label: string; color: string }> = {
  queued: { label: 'Queued', color: 'gray' },
  running: { label: 'Running', color: 'blue' },
  succeeded: { label: 'Succeeded', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'yellow' },
};

export const RUN_TRIGGER: Record<SyncRun['trigger'], string> = {
  schedule: 'Schedule',
  manual: 'Sync now',
  authorization: 'Authorization',
};

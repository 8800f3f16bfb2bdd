import { hash } from 'node:crypto';
import type { RequestScope, RunEstimate } from '../../../common/mdm.ts';
import type {
  PlanInput,
  ProviderDeps,
  ProviderSettings,
  StrategyEstimate,
  SyncCapability,
} from '../provider.ts';

/** A complete pass (every tracked device looked at) at least this often keeps `not_found` and removals right. */
export const FULL_PASS_INTERVAL_MS = 24 * 3600 * 1000;

export interface PlanHistory {
  /** When the last successful complete pass started, or null. */
  lastCompletePassAt: Date | null;
  /** When the last successful run of any kind started, or null. */
  lastSuccessAt: Date | null;
  /** Provider fleet size as counted by an earlier run. */
  lastFleetSize: number | null;
  /** When that size was counted (runs that reused it carry the time it was counted), or null. */
  lastFleetCountAt: Date | null;
  /** The connection settings it was counted under (`countScope`): a count under other settings is not reused. */
  lastFleetCountScope: string | null;
}

/** Settings decide what a provider counts (org units, say): a count is reused only under the same ones. */
function countScope(settings: Record<string, unknown>): string {
  return hash('sha256', JSON.stringify(settings), 'base64url');
}

/** A counted fleet size is trusted this long: fleets change slowly, and a count costs a call of the quota. */
export const FLEET_COUNT_MAX_AGE_MS = FULL_PASS_INTERVAL_MS;

/** Whether this run must look at every tracked device: asked for by a person, or the daily full pass is due. */
export function fullPassDue(trigger: string, history: PlanHistory, now = new Date()): boolean {
  if (trigger !== 'schedule' || !history.lastCompletePassAt || !history.lastSuccessAt) return true;
  return now.getTime() - history.lastCompletePassAt.getTime() >= FULL_PASS_INTERVAL_MS;
}

/**
 * Whether the run may list only what changed since the last good sync: never for a due full pass, and never
 * under `tracked_only` (a listing of changes reads untracked devices too).
 */
export function partialPassAllowed(
  sync: SyncCapability,
  scope: RequestScope,
  fullPass: boolean,
  history: PlanHistory,
): boolean {
  return scope === 'fewest_calls' && !fullPass && sync.incremental && history.lastSuccessAt !== null;
}

/** The strategies a scope allows: `tracked_only` keeps those that name only tracked devices. */
export function allowedEstimates(
  sync: SyncCapability,
  scope: RequestScope,
  input: PlanInput,
): StrategyEstimate[] {
  const options = sync.estimates(input);
  return scope === 'tracked_only' ? options.filter((option) => option.targeted) : options;
}

/** The cheapest option; a complete one wins a tie. */
export function cheapest(options: readonly StrategyEstimate[]): StrategyEstimate {
  if (options.length === 0) throw new Error('The provider offers no strategy this run may use');
  return options.reduce((best, option) =>
    option.apiCalls < best.apiCalls ||
    (option.apiCalls === best.apiCalls && option.complete && !best.complete)
      ? option
      : best,
  );
}

/**
 * Picks the strategy with the fewest API calls for this run, spending the calls of one count (`countCalls`) to
 * size the provider's side (the fleet for a full pass, the changed devices otherwise) only when that could
 * change the choice, and records the alternatives on the run. A complete strategy wins a tie.
 */
export async function planRun(
  sync: SyncCapability,
  deps: ProviderDeps,
  input: {
    secret: string;
    settings: ProviderSettings;
    trackedCount: number;
    fullPass: boolean;
    history: PlanHistory;
  },
  now = new Date(),
  hooks: {
    /** Told, just before the changes are counted, which strategy would list them and since when. */
    partialCandidate?: (strategy: string, changedSince: string) => void;
  } = {},
): Promise<{ strategy: string; estimate: RunEstimate; apiCallsUsed: number }> {
  const scope = input.settings.requestScope;
  const blind = allowedEstimates(sync, scope, {
    trackedCount: input.trackedCount,
    fleetSize: null,
    changed: null,
  });
  const cheapestBlind = Math.min(...blind.map((estimate) => estimate.apiCalls));
  const incremental = partialPassAllowed(sync, scope, input.fullPass, input.history);
  const { lastFleetSize, lastFleetCountAt, lastFleetCountScope } = input.history;
  const countedUnder = countScope(input.settings);
  const recentCount =
    lastFleetSize !== null &&
    lastFleetCountAt !== null &&
    lastFleetCountScope === countedUnder &&
    now.getTime() - lastFleetCountAt.getTime() < FLEET_COUNT_MAX_AGE_MS;
  // The fleet as last counted, passed on by runs that reuse it so its age and scope stay known.
  let fleet =
    incremental || recentCount
      ? {
          size: lastFleetSize,
          countedAt: lastFleetCountAt?.toISOString() ?? null,
          scope: lastFleetCountScope,
        }
      : { size: null, countedAt: null, scope: null };
  let changed: { since: string; count: number } | null = null;
  let apiCallsUsed = 0;
  // Counting costs calls; only worth it when a listing might beat the lookups (never under `tracked_only`,
  // which allows no listing), and the fleet is counted at most once a day under the same settings.
  const countDevices = scope === 'fewest_calls' ? sync.countDevices : undefined;
  const countCalls = sync.countCalls ?? 1;
  if (cheapestBlind > countCalls && countDevices) {
    if (incremental) {
      const since = (input.history.lastSuccessAt as Date).toISOString();
      const candidate = sync
        .estimates({ trackedCount: input.trackedCount, fleetSize: null, changed: { since, count: 0 } })
        .find((option) => !option.complete);
      // The count asks for its turn first: the plan waits for the count, and the first page for the plan.
      const counting = countDevices(deps, input.secret, input.settings, since);
      if (candidate) hooks.partialCandidate?.(candidate.strategy, since);
      const count = await counting;
      if (count !== null) changed = { since, count };
      apiCallsUsed = countCalls;
    } else if (!recentCount) {
      const size = await countDevices(deps, input.secret, input.settings);
      fleet = size === null ? fleet : { size, countedAt: now.toISOString(), scope: countedUnder };
      apiCallsUsed = countCalls;
    }
  }
  const fleetSize = fleet.size;
  const options = allowedEstimates(sync, scope, {
    trackedCount: input.trackedCount,
    fleetSize,
    changed,
  }).filter((option) => option.complete || !input.fullPass);
  const chosen = cheapest(options);
  return {
    strategy: chosen.strategy,
    estimate: {
      apiCalls: chosen.apiCalls + apiCallsUsed,
      complete: chosen.complete,
      fullPass: input.fullPass,
      requestScope: scope,
      fleetSize,
      fleetCountedAt: fleet.countedAt,
      fleetCountScope: fleet.scope,
      changedSince: changed?.since ?? null,
      changedCount: changed?.count ?? null,
      trackedCount: input.trackedCount,
      options,
      lookupNote: chosen.targeted ? sync.lookupNote : null,
      fallback: null,
    },
    apiCallsUsed,
  };
}

/**
 * What a sync would cost under each request scope, for the settings form: a complete pass (Sync now, the daily
 * full pass) and a scheduled run between full passes (which may list only what changed, where allowed).
 * `changedCount` is how many devices a recent incremental run found changed, when one has. Counting the
 * provider's side costs its calls where the planner would count.
 */
export function scopeEstimates(
  sync: SyncCapability,
  input: { trackedCount: number; fleetSize: number | null; changedCount: number | null },
): Record<RequestScope, { fullSync: number; scheduledSync: number; strategy: string }> {
  const estimateFor = (scope: RequestScope) => {
    const blind = allowedEstimates(sync, scope, {
      trackedCount: input.trackedCount,
      fleetSize: null,
      changed: null,
    });
    const countCalls = sync.countCalls ?? 1;
    const counts =
      scope === 'fewest_calls' && sync.countDevices !== undefined && cheapest(blind).apiCalls > countCalls;
    const full = cheapest(
      allowedEstimates(sync, scope, {
        trackedCount: input.trackedCount,
        fleetSize: input.fleetSize,
        changed: null,
      }),
    );
    const fullSync = full.apiCalls;
    if (!counts || !sync.incremental || input.changedCount === null)
      return { fullSync, scheduledSync: fullSync, strategy: full.strategy };
    const changed = { since: new Date(0).toISOString(), count: input.changedCount };
    const scheduled = cheapest(
      allowedEstimates(sync, scope, {
        trackedCount: input.trackedCount,
        fleetSize: input.fleetSize,
        changed,
      }),
    );
    // A scheduled run counts what changed first.
    return { fullSync, scheduledSync: scheduled.apiCalls + countCalls, strategy: full.strategy };
  };
  return { tracked_only: estimateFor('tracked_only'), fewest_calls: estimateFor('fewest_calls') };
}

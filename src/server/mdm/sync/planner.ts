import { hash } from 'node:crypto';
import type { ProviderDeps, StrategyEstimate, SyncCapability } from '../provider.ts';

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

/** Whether the run may list only what changed since the last good sync: never for a due full pass. */
export function partialPassAllowed(sync: SyncCapability, fullPass: boolean, history: PlanHistory): boolean {
  return !fullPass && sync.incremental && history.lastSuccessAt !== null;
}

/**
 * Picks the strategy with the fewest API calls for this run, spending one call to size the provider's side
 * (the fleet for a full pass, the changed devices otherwise) only when that could change the choice, and
 * records the alternatives on the run. A complete strategy wins a tie.
 */
export async function planRun(
  sync: SyncCapability,
  deps: ProviderDeps,
  input: {
    secret: string;
    settings: Record<string, unknown>;
    trackedCount: number;
    fullPass: boolean;
    history: PlanHistory;
  },
  now = new Date(),
  hooks: {
    /** Told, just before the changes are counted, which strategy would list them and since when. */
    partialCandidate?: (strategy: string, changedSince: string) => void;
  } = {},
): Promise<{ strategy: string; estimate: Record<string, unknown>; apiCallsUsed: number }> {
  const blind = sync.estimates({ trackedCount: input.trackedCount, fleetSize: null, changed: null });
  const cheapestBlind = Math.min(...blind.map((estimate) => estimate.apiCalls));
  const incremental = partialPassAllowed(sync, input.fullPass, input.history);
  const { lastFleetSize, lastFleetCountAt, lastFleetCountScope } = input.history;
  const scope = countScope(input.settings);
  const recentCount =
    lastFleetSize !== null &&
    lastFleetCountAt !== null &&
    lastFleetCountScope === scope &&
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
  // Counting costs a call; only worth it when a listing might beat the lookups, and the fleet is counted
  // at most once a day under the same settings.
  if (cheapestBlind > 1) {
    if (incremental) {
      const since = (input.history.lastSuccessAt as Date).toISOString();
      const candidate = sync
        .estimates({ trackedCount: input.trackedCount, fleetSize: null, changed: { since, count: 0 } })
        .find((option) => !option.complete);
      // The count asks for its turn first: the plan waits for the count, and the first page for the plan.
      const counting = sync.countDevices(deps, input.secret, input.settings, since);
      if (candidate) hooks.partialCandidate?.(candidate.strategy, since);
      const count = await counting;
      if (count !== null) changed = { since, count };
      apiCallsUsed = 1;
    } else if (!recentCount) {
      const size = await sync.countDevices(deps, input.secret, input.settings);
      fleet = size === null ? fleet : { size, countedAt: now.toISOString(), scope };
      apiCallsUsed = 1;
    }
  }
  const fleetSize = fleet.size;
  const options = sync
    .estimates({ trackedCount: input.trackedCount, fleetSize, changed })
    .filter((option) => option.complete || !input.fullPass);
  const chosen = options.reduce((best: StrategyEstimate, option) =>
    option.apiCalls < best.apiCalls ||
    (option.apiCalls === best.apiCalls && option.complete && !best.complete)
      ? option
      : best,
  );
  return {
    strategy: chosen.strategy,
    estimate: {
      apiCalls: chosen.apiCalls + apiCallsUsed,
      complete: chosen.complete,
      fullPass: input.fullPass,
      fleetSize,
      fleetCountedAt: fleet.countedAt,
      fleetCountScope: fleet.scope,
      changedSince: changed?.since ?? null,
      changedCount: changed?.count ?? null,
      trackedCount: input.trackedCount,
      options,
    },
    apiCallsUsed,
  };
}

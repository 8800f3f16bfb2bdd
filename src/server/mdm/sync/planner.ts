import type { ProviderDeps, StrategyEstimate, SyncCapability } from '../provider.ts';

/**
 * Picks the strategy with the fewest API calls for this run, sizing the provider's fleet with one call when
 * that could change the choice, and records the alternatives on the run.
 */
export async function planRun(
  sync: SyncCapability,
  deps: ProviderDeps,
  input: { secret: string; settings: Record<string, unknown>; trackedCount: number },
): Promise<{ strategy: string; estimate: Record<string, unknown>; apiCallsUsed: number }> {
  const withoutFleet = sync.estimates({ trackedCount: input.trackedCount, fleetSize: null });
  const cheapestBlind = Math.min(...withoutFleet.map((estimate) => estimate.apiCalls));
  let fleetSize: number | null = null;
  let apiCallsUsed = 0;
  // Counting costs a call; only worth it when a listing might beat the lookups.
  if (cheapestBlind > 1) {
    fleetSize = await sync.countDevices(deps, input.secret, input.settings);
    apiCallsUsed = 1;
  }
  const options: StrategyEstimate[] = sync.estimates({ trackedCount: input.trackedCount, fleetSize });
  const chosen = options.reduce((best, option) => (option.apiCalls < best.apiCalls ? option : best));
  return {
    strategy: chosen.strategy,
    estimate: {
      apiCalls: chosen.apiCalls + apiCallsUsed,
      fleetSize,
      trackedCount: input.trackedCount,
      options,
    },
    apiCallsUsed,
  };
}

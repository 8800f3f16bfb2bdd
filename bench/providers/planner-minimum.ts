import type { ProviderKey } from '../../src/common/mdm.ts';
import { providerByKey } from '../../src/server/mdm/registry.ts';
import type { FleetSizes } from './adapter.ts';

/**
 * The planner's own estimate of a strategy's API calls (the provider definition's `sync.estimates`), for the
 * fleet as the benchmark made it: what a run with that strategy could cost at best. Counting the fleet or the
 * changes beforehand is not included.
 */
export function plannerMinimum(key: ProviderKey, strategy: string, sizes: FleetSizes): number {
  const options = providerByKey(key).sync.estimates({
    trackedCount: sizes.tracked,
    fleetSize: sizes.fleet,
    changed: { since: new Date(0).toISOString(), count: sizes.changed },
  });
  const option = options.find((candidate) => candidate.strategy === strategy);
  if (!option) throw new Error(`The ${key} provider has no strategy ${strategy}`);
  return option.apiCalls;
}

import type { SyncRun } from '../../common/mdm.ts';
import { formatCount, formatDateTime, plural } from './format.ts';
import { countersOf, outsideInventoryOf } from './mdm.ts';

/** How a run began, as a district would say it. */
export const RUN_BEGAN: Record<SyncRun['trigger'], string> = {
  schedule: 'Scheduled sync',
  manual: 'Sync now',
  authorization: 'First sync after authorizing',
};

function devices(count: number): string {
  return plural(count, 'device');
}

/** "3 changed, 97 unchanged": what happened to the devices the provider returned. */
function changes(changed: number, unchanged: number): string {
  if (changed === 0) return 'nothing changed';
  if (unchanged === 0) return `${formatCount(changed)} changed`;
  return `${formatCount(changed)} changed, ${formatCount(unchanged)} unchanged`;
}

/**
 * What a run did, in a sentence or two a district can read ("Checked 120 devices: 100 found in Google (3
 * changed, 97 unchanged), 20 not in Google."); the counts an engineer wants sit under Details.
 */
export function runSummary(run: SyncRun, brand: string): string {
  const counters = countersOf(run.counters);
  const onlyChanges = run.estimate?.complete === false;
  const since = run.estimate?.changedSince;
  const scope = onlyChanges
    ? `Asked ${brand} only for devices changed${typeof since === 'string' ? ` since ${formatDateTime(since)}` : ''}`
    : `Checked ${devices(counters.considered)}`;
  const found = onlyChanges
    ? `${devices(counters.matched)} had changes in ${brand} (${changes(counters.changed, counters.unchanged)})`
    : `${formatCount(counters.matched)} found in ${brand} (${changes(counters.changed, counters.unchanged)})`;
  const missing =
    !onlyChanges && counters.notFound > 0 ? `, ${formatCount(counters.notFound)} not in ${brand}` : '';
  // Only a complete listing counts the provider's devices outside the inventory; lookups never see them.
  const outsideCount = outsideInventoryOf(run) ?? 0;
  const outside =
    outsideCount > 0 ? ` ${brand} also has ${devices(outsideCount)} that match nothing Satchel syncs.` : '';
  switch (run.state) {
    case 'queued':
      return 'Waiting to start.';
    case 'running':
      return `Running: ${formatCount(counters.matched)} found in ${brand} so far.`;
    case 'cancelled':
      return `Cancelled after ${plural(counters.changed, 'device')} changed. Nothing already saved was undone.`;
    case 'failed': {
      const before =
        counters.changed > 0
          ? ` ${devices(counters.changed)} were updated before it stopped.`
          : ' Nothing was changed.';
      return `Stopped with an error: ${run.error ?? 'no reason was recorded'}.${before}`;
    }
    case 'succeeded':
      return `${scope}: ${found}${missing}.${outside}`;
  }
}

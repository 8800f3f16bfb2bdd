import type { RunEstimate } from '../../../common/mdm.ts';
import { countTrackableDevices, loadTrackableDevices } from '../../inventory/index.ts';
import type { FetchedPage, ProviderDeps } from '../provider.ts';
import { authorizeWithAccessCache } from './access-cache.ts';
import { fullPassDue, type PlanHistory, partialPassAllowed, planRun } from './planner.ts';
import type { OpenedRun, SyncDeps } from './run-setup.ts';
import { planHistory } from './runs.ts';
import { indexTracked, type TrackedIndex } from './tracked.ts';

/** Asks for one page: the strategy, since when (incremental), which serials it may name, and where. */
export type AskPage = (
  strategy: string,
  changedSince: string | null,
  trackedSerialKeys: readonly string[],
  cursor: string | null,
  paced?: () => void,
) => Promise<FetchedPage>;

/** A first page asked for while the plan was being made, with what it was asked for. */
export interface EarlyPage {
  strategy: string;
  changedSince: string;
  page: Promise<FetchedPage>;
}

export interface RunPlan {
  strategy: string;
  estimate: RunEstimate;
  /** API calls planning spent (counting the provider's side): part of the run's calls. */
  apiCallsUsed: number;
  /** A first page already asked for, or null. */
  early: EarlyPage | null;
}

/** What a new run sets under way at once: its plan, and the tracked devices it will need. */
export interface Preparation {
  /** Null for a run that resumes: its plan is on its row. */
  planning: Promise<RunPlan> | null;
  /** The tracked devices, when the pass may look at every one (null when it may list only what changed). */
  loading: Promise<TrackedIndex> | null;
}

/**
 * Sets the run's preparation under way. A pass that looks at every tracked device needs them all (targeted
 * lookups name them; `not_found` is every one it did not see): they load while the run is authorized and
 * planned. A pass that may list only what changed matches each page on its own, without the whole inventory.
 * The plan is sized from the totals the database keeps, so the provider's own count (when the plan asks for
 * one) is under way while they load.
 */
export async function prepareRun(
  deps: SyncDeps,
  opened: OpenedRun,
  providerDeps: ProviderDeps,
  askPage: AskPage,
  signal: AbortSignal,
): Promise<Preparation> {
  const { ctx, run, sync, settings, statuses } = opened;
  const resumed = run.state === 'running' && run.strategy !== null;
  if (resumed) {
    const complete = (run.estimate as Partial<RunEstimate> | null)?.complete !== false;
    const loading = complete ? loadTrackableDevices(ctx, deps.db, statuses).then(indexTracked) : null;
    // Awaited by the run; this only keeps a failure meanwhile from going unhandled.
    loading?.catch(noop);
    return { planning: null, loading };
  }
  const history = await planHistory(deps.db, opened.connection.id);
  const fullPass = fullPassDue(run.trigger, history);
  const counting = countTrackableDevices(ctx, deps.db, statuses);
  counting.catch(noop);
  const loading = partialPassAllowed(sync, settings.requestScope, fullPass, history)
    ? null
    : loadTrackableDevices(ctx, deps.db, statuses).then(indexTracked);
  const planning = planNewRun(deps, opened, providerDeps, askPage, { history, fullPass, counting, signal });
  // Awaited by the run; this only keeps a failure meanwhile from going unhandled.
  planning.catch(noop);
  loading?.catch(noop);
  return { planning, loading };
}

async function planNewRun(
  deps: SyncDeps,
  opened: OpenedRun,
  providerDeps: ProviderDeps,
  askPage: AskPage,
  inputs: { history: PlanHistory; fullPass: boolean; counting: Promise<number>; signal: AbortSignal },
): Promise<RunPlan> {
  const { sync, settings, secret, connection, ctx } = opened;
  const [, trackedCount] = await Promise.all([
    authorizeWithAccessCache(deps, sync, providerDeps, {
      connection,
      districtId: ctx.districtId,
      secret,
      settings,
      signal: inputs.signal,
    }),
    inputs.counting,
  ]);
  let early: EarlyPage | null = null;
  const plan = await planRun(
    sync,
    providerDeps,
    { secret, settings, trackedCount, fullPass: inputs.fullPass, history: inputs.history },
    new Date(),
    {
      // The first page of a pass that lists only what changed is asked for while the provider counts the
      // changes, which hides the count's round trip. When the count shows lookups to be cheaper after all (so
      // much changed), that page is dropped and its calls still counted.
      partialCandidate: (strategy, changedSince) => {
        const page = askPage(strategy, changedSince, [], null);
        page.catch(noop);
        early = { strategy, changedSince, page };
      },
    },
  );
  return { ...plan, early };
}

const noop = () => undefined;

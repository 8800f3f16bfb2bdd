import { RunEstimate } from '../../../common/mdm.ts';
import { loadTrackableDevices } from '../../inventory/index.ts';
import type { FetchedPage, ProviderDeps } from '../provider.ts';
import { activeWatch, Deactivated } from './deactivated.ts';
import { cancelRun, failRun, finishPass } from './finish.ts';
import { activeLimiter, limiterFor, tellingLimiter } from './limiters.ts';
import { PassReader, type RunProgress } from './page-loop.ts';
import { type AskPage, type EarlyPage, type Preparation, prepareRun } from './plan-step.ts';
import { type OpenedRun, type SyncDeps, takeUpRun } from './run-setup.ts';
import { checkpointOf, countersOf, startRun } from './runs.ts';
import { indexTracked, type TrackedIndex } from './tracked.ts';
import { seenByRun } from './writer.ts';

export type { SyncDeps };

/**
 * Runs (or resumes) one sync run. The engine knows providers only through their contract: it hands them the
 * district's tracked serial keys and gets normalized pages back, which it matches, writes and checkpoints one
 * transaction per page. In order:
 * 1. take up the run: its row, its connection and the decrypted secret (or cancel it, if the connection left);
 * 2. prepare: load the tracked devices while the provider authorizes and the planner picks a strategy;
 * 3. read the pass page by page (PassReader), each page written with its checkpoint;
 * 4. finish: `not_found` for the tracked devices a complete pass did not see, and the outcome on the run.
 * Returns, for a run that succeeded, how many records it rewrote (changed, or newly not found): after a large
 * rewrite the worker refreshes the records' statistics once the run is over (`refreshRecordStatistics`).
 */
export async function runSync(
  deps: SyncDeps,
  runId: string,
  districtId: string,
  signal: AbortSignal,
): Promise<{ rewritten: number } | null> {
  const opened = await takeUpRun(deps, runId, districtId);
  if (!opened) return null;
  const startedAt = performance.now();
  const { ctx, run, provider } = opened;
  ctx.log.info(
    { provider: provider.key, trigger: run.trigger, resumed: run.state === 'running' },
    'sync run started',
  );
  const active = activeWatch(deps.db, districtId, run.provider);
  const providerDeps: ProviderDeps = {
    config: deps.config,
    log: ctx.log,
    limiter: activeLimiter(limiterFor(deps.db, provider, opened.settings, deps.config), active),
  };
  const askPage = pageAsker(opened, providerDeps, signal);
  const preparation = await prepareRun(deps, opened, providerDeps, askPage, signal);
  // Tracked devices this run has matched: every one of them carries the run's stamp once its page commits. A
  // resumed run reads back those its earlier pages stamped.
  const seen = new Set<string>(run.state === 'running' ? await seenByRun(deps.db, run.provider, run.id) : []);
  const progress: RunProgress = { counters: countersOf(run), strategy: run.strategy, seen };
  let recording: Promise<void> = Promise.resolve();
  try {
    const plan = await planOrResume(deps, opened, preparation, progress);
    recording = plan.recording;
    await readPass(deps, opened, { askPage, active, signal }, plan, progress);
    await recording;
    progress.counters = await finishPass(deps.db, {
      districtId,
      provider: run.provider,
      runId: run.id,
      strategy: progress.strategy,
      complete: plan.estimate.complete,
      trackedIds: plan.tracked?.ids ?? [],
      seen,
      counters: progress.counters,
    });
    logOutcome(opened, progress, { state: 'succeeded', startedAt });
    return { rewritten: progress.counters.changed + progress.counters.notFound };
  } catch (error) {
    await recording.catch(noop);
    // Shutdown or a lost job: leave the run open at its checkpoint for the retried job to resume.
    if (signal.aborted) throw error;
    const { counters } = progress;
    if (error instanceof Deactivated) {
      await cancelRun(deps.db, run.id, counters, 'Stopped: the provider was deactivated');
      logOutcome(opened, progress, { state: 'cancelled', startedAt });
      return null;
    }
    const message = await failRun(ctx, deps, { provider: provider.key, runId: run.id, counters }, error);
    logOutcome(opened, progress, { state: 'failed', startedAt, error: message });
    return null;
  }
}

/** One page of the run, as the provider fetches it, paced by the run's limiter. */
function pageAsker(opened: OpenedRun, providerDeps: ProviderDeps, signal: AbortSignal): AskPage {
  const { sync, secret, settings } = opened;
  return (strategy, changedSince, trackedSerialKeys, cursor, paced) =>
    sync.fetchPage(
      paced ? { ...providerDeps, limiter: tellingLimiter(providerDeps.limiter!, paced) } : providerDeps,
      { secret, settings, strategy, changedSince, trackedSerialKeys, cursor, signal },
    );
}

interface PlannedRun {
  strategy: string;
  estimate: RunEstimate;
  /** Where the pass resumes (null: its start); `passComplete` when it already read its last page. */
  cursor: string | null;
  passComplete: boolean;
  early: EarlyPage | null;
  /** The plan's record on the run's row, written while the first page is read. */
  recording: Promise<void>;
  tracked: TrackedIndex | null;
}

/**
 * A new run's plan, recorded on its row while its first page is read; a resumed run's plan and checkpoint, as
 * its row has them. A plan that looks at every tracked device has them loaded, even where the run first
 * thought it might list only what changed.
 */
async function planOrResume(
  deps: SyncDeps,
  opened: OpenedRun,
  preparation: Preparation,
  progress: RunProgress,
): Promise<PlannedRun> {
  const { run, ctx, statuses } = opened;
  const loaded = preparation.loading ? await preparation.loading : null;
  let planned: Omit<PlannedRun, 'tracked'>;
  if (preparation.planning) {
    const plan = await preparation.planning;
    const recording = startRun(deps.db, run.id, { strategy: plan.strategy, estimate: plan.estimate });
    recording.catch(noop);
    progress.counters = { ...progress.counters, apiCalls: progress.counters.apiCalls + plan.apiCallsUsed };
    planned = {
      strategy: plan.strategy,
      estimate: plan.estimate,
      cursor: null,
      passComplete: false,
      early: plan.early,
      recording,
    };
  } else {
    const checkpoint = checkpointOf(run);
    planned = {
      strategy: checkpoint.strategy ?? (run.strategy as string),
      estimate: RunEstimate.parse({ apiCalls: 0, ...run.estimate }),
      cursor: checkpoint.cursor,
      passComplete: checkpoint.passComplete,
      early: null,
      recording: Promise.resolve(),
    };
  }
  progress.strategy = planned.strategy;
  const tracked =
    planned.estimate.complete && !loaded
      ? indexTracked(await loadTrackableDevices(ctx, deps.db, statuses))
      : loaded;
  const considered = tracked?.ids.length ?? planned.estimate.trackedCount ?? progress.counters.considered;
  progress.counters = { ...progress.counters, considered };
  return { ...planned, tracked };
}

/**
 * Reads the pass from where it stands. The first page already asked for during planning is used when the plan
 * kept its strategy (it is checked at its page boundary, like any page in flight); otherwise the connection is
 * read again before the pass sends anything, and a dropped early page still counts its calls.
 */
async function readPass(
  deps: SyncDeps,
  opened: OpenedRun,
  tools: { askPage: AskPage; active: ReturnType<typeof activeWatch>; signal: AbortSignal },
  plan: PlannedRun,
  progress: RunProgress,
): Promise<void> {
  const { early, estimate } = plan;
  const useEarly =
    early !== null && early.strategy === plan.strategy && early.changedSince === estimate.changedSince;
  if (!useEarly && !(await tools.active.confirm())) throw new Deactivated();
  if (early && !useEarly) {
    const dropped = await early.page.catch(() => null);
    const { counters } = progress;
    progress.counters = { ...counters, apiCalls: counters.apiCalls + (dropped?.apiCalls ?? 1) };
  }
  if (plan.passComplete) return;
  const configured = opened.settings.callBudget;
  await new PassReader(deps, opened, tools, progress, {
    strategy: plan.strategy,
    estimate,
    cursor: plan.cursor,
    tracked: plan.tracked,
    budget: typeof configured === 'number' ? configured : Math.max(100, estimate.apiCalls * 3),
    firstPage: useEarly ? (early as EarlyPage).page : null,
    recording: plan.recording,
  }).read();
}

/** One line when a run ends: how it went, what it cost, how long it took. */
function logOutcome(
  opened: OpenedRun,
  progress: RunProgress,
  outcome: { state: string; startedAt: number; error?: string },
): void {
  const { counters } = progress;
  opened.ctx.log.info(
    {
      provider: opened.provider.key,
      state: outcome.state,
      strategy: progress.strategy,
      requestScope: opened.settings.requestScope,
      apiCalls: counters.apiCalls,
      retries: counters.retries,
      matched: counters.matched,
      changed: counters.changed,
      notFound: counters.notFound,
      unmatchedProviderDevices: counters.unmatchedProviderDevices,
      durationMs: Math.round(performance.now() - outcome.startedAt),
      ...(outcome.error ? { error: outcome.error } : {}),
    },
    'sync run finished',
  );
}

const noop = () => undefined;

export type { FetchedPage };

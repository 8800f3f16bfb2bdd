import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql, type Transaction } from 'kysely';
import { type ProviderKey, SYNCING_STATES } from '../../../common/mdm.ts';
import { recordAudit } from '../../audit/service.ts';
import type { Config } from '../../config.ts';
import { type RequestContext, systemContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { ProviderError } from '../../errors.ts';
import {
  countTrackableDevices,
  findTrackableDevices,
  loadTrackableDevices,
  type TrackedDevice,
} from '../../inventory/index.ts';
import { decryptSecret, encryptSecret, SecretUnreadable } from '../../secrets/envelope.ts';
import type { Keyring } from '../../secrets/keyring.ts';
import type {
  FetchedPage,
  ProviderDefinition,
  ProviderDeps,
  ProviderDevice,
  SyncCapability,
} from '../provider.ts';
import { providerByKey } from '../registry.ts';
import { connectionState, recordSyncOutcome, storeAccessCache } from './connection-state.ts';
import { fullPassDue, type PlanHistory, partialPassAllowed, planRun } from './planner.ts';
import { type RequestLimiter, SharedRateLimiter } from './rate-limit.ts';
import {
  EMPTY_COUNTERS,
  findRun,
  finishRun,
  planHistory,
  type SyncCounters,
  saveCheckpoint,
  startRun,
} from './runs.ts';
import {
  type MatchedDevice,
  markNotFound,
  type PreparedRecord,
  prepareRecords,
  seenByRun,
  writePage,
} from './writer.ts';

export interface SyncDeps {
  db: Kysely<DB>;
  keyring: Keyring;
  config: Config;
  log: FastifyBaseLogger;
  /** Whether a smaller district's run is under way somewhere: this one then pauses between its pages. */
  smallerRunning?: () => Promise<boolean>;
}

/**
 * A run pauses between pages while smaller districts' runs are under way (they have the machine and the quota
 * first), for this long at most in all, so that a stream of small runs cannot hold a large one back for good.
 */
const MAX_GIVING_WAY_MS = 120_000;
const GIVING_WAY_STEP_MS = 250;

/** A page boundary found the connection deactivated: stop, and send the provider nothing more. */
class Deactivated extends Error {}

/**
 * Runs (or resumes) one sync run. The engine knows providers only through their contract: it hands them
 * the district's tracked serial keys and gets normalized pages back, which it matches, writes and
 * checkpoints one transaction per page. Returns, for a run that succeeded, how many records it rewrote
 * (changed, or newly not found): after a large rewrite the worker refreshes the records' statistics once the
 * run is over (`refreshRecordStatistics`).
 */
export async function runSync(
  deps: SyncDeps,
  runId: string,
  districtId: string,
  signal: AbortSignal,
): Promise<{ rewritten: number } | null> {
  const ctx = systemContext(districtId, deps.log.child({ runId }), 'sync');
  const run = await findRun(deps.db, districtId, runId);
  if (!run || (run.state !== 'queued' && run.state !== 'running')) return null;
  const provider = providerByKey(run.provider as ProviderKey);
  const sync = provider.sync;
  const connection = await connectionState(deps.db, districtId, run.provider);
  if (!sync || !connection || !SYNCING_STATES.includes(connection.state) || !connection.secret) {
    await finishRun(deps.db, run.id, {
      state: 'cancelled',
      counters: run.counters as unknown as SyncCounters,
      error: 'The provider is not active',
    });
    return null;
  }
  let secret: string;
  try {
    secret = decryptSecret(deps.keyring, connection.secret, {
      table: 'mdm_connections',
      rowId: connection.id,
      districtId,
      field: 'secret',
    });
  } catch (error) {
    if (!(error instanceof SecretUnreadable)) throw error;
    await fail(
      ctx,
      deps,
      provider,
      run.id,
      run.counters as unknown as SyncCounters,
      new ProviderError('auth_revoked', error.message),
    );
    return null;
  }

  // The connection was just read active. Every page boundary reads it again, and so does a request whose turn
  // comes long after that (see activeLimiter).
  const activeSeen = { at: performance.now() };
  const confirmActive = async (): Promise<boolean> => {
    const asked = performance.now();
    const active = await stillActive(deps, districtId, run.provider);
    if (active) activeSeen.at = asked;
    return active;
  };
  const providerDeps = {
    config: deps.config,
    log: ctx.log,
    limiter: activeLimiter(
      new SharedRateLimiter(deps.db, provider.key, sync.quotaPerMinute(deps.config)),
      activeSeen,
      confirmActive,
    ),
  };
  const statuses = connection.settings.syncedStatuses as never;
  const planned = run.state === 'running' && run.strategy !== null;
  const history = planned ? null : await planHistory(deps.db, connection.id);
  const fullPass = history !== null && fullPassDue(run.trigger, history);
  // A pass that looks at every tracked device needs them all (targeted lookups name them; `not_found` is every
  // one it did not see): they load while the run is authorized and planned. A pass that may list only what
  // changed matches each page on its own instead, without reading the whole inventory.
  const partialPossible = planned
    ? run.estimate?.complete === false
    : partialPassAllowed(sync, fullPass, history as PlanHistory);
  // The plan is sized from the totals the database keeps, not from the loaded devices, so the provider's own
  // count (when the plan asks for one) is under way while they load.
  const counting = planned ? null : countTrackableDevices(ctx, deps.db, statuses);
  counting?.catch(noop);
  const loading = partialPossible ? null : loadTrackableDevices(ctx, deps.db, statuses).then(indexTracked);
  const early: { asked: { strategy: string; changedSince: string; page: Promise<FetchedPage> } | null } = {
    asked: null,
  };
  const stored = { ...connection, secret: connection.secret };
  /** `paced` hears when the request's turn under the shared rate limit came: it is being sent. */
  const askPage = (
    strategy: string,
    changedSince: string | null,
    trackedSerialKeys: readonly string[],
    cursor: string | null,
    paced?: () => void,
  ): Promise<FetchedPage> =>
    sync.fetchPage(
      paced ? { ...providerDeps, limiter: tellingLimiter(providerDeps.limiter, paced) } : providerDeps,
      {
        secret,
        settings: connection.settings,
        strategy,
        changedSince,
        trackedSerialKeys,
        cursor,
        signal,
      },
    );
  const planning = planned
    ? null
    : (async () => {
        const [, trackedCount] = await Promise.all([
          authorizeWithAccessCache(deps, sync, providerDeps, {
            connection: stored,
            districtId,
            secret,
            signal,
          }),
          counting as Promise<number>,
        ]);
        return planRun(
          sync,
          providerDeps,
          { secret, settings: connection.settings, trackedCount, fullPass, history: history as PlanHistory },
          new Date(),
          {
            // The first page of a pass that lists only what changed is asked for while the provider counts the
            // changes, which hides the count's round trip. When the count shows lookups to be cheaper after all
            // (so much changed), that page is dropped and its calls still counted.
            partialCandidate: (strategy, changedSince) => {
              const page = askPage(strategy, changedSince, [], null);
              page.catch(() => undefined);
              early.asked = { strategy, changedSince, page };
            },
          },
        );
      })();
  // Awaited in the run's error handling below; this only keeps a failure meanwhile from going unhandled.
  planning?.catch(() => undefined);
  let tracked = loading ? await loading : null;
  let counters: SyncCounters = { ...EMPTY_COUNTERS, ...(run.counters as Partial<SyncCounters>) };
  let strategy = run.strategy;
  let cursor = (run.checkpoint?.cursor as string | null | undefined) ?? null;
  // A run that crashed after its last page still has to finish, without listing everything again.
  let passComplete = run.checkpoint?.passComplete === true;
  // Tracked devices this run has matched: every one of them carries the run's stamp once its page commits.
  // A resumed run reads back those its earlier pages stamped.
  const seen = new Set<string>(run.state === 'running' ? await seenByRun(deps.db, run.provider, run.id) : []);
  // The plan's record is written while the first page is read, and is in place before anything else is.
  let recording: Promise<void> = Promise.resolve();
  try {
    let estimate = run.estimate;
    if (planning) {
      const plan = await planning;
      strategy = plan.strategy;
      counters = { ...counters, apiCalls: counters.apiCalls + plan.apiCallsUsed };
      recording = startRun(deps.db, run.id, { strategy, estimate: plan.estimate });
      recording.catch(noop);
      estimate = plan.estimate;
      cursor = null;
      passComplete = false;
    }
    const estimated = Number(estimate?.apiCalls ?? 0);
    const complete = estimate?.complete !== false;
    const changedSince = (estimate?.changedSince as string | null | undefined) ?? null;
    // A partial pass was possible but the plan looks at everything (lookups were cheaper): load them now.
    if (complete && !tracked) tracked = indexTracked(await loadTrackableDevices(ctx, deps.db, statuses));
    counters.considered = tracked?.ids.length ?? Number(estimate?.trackedCount ?? counters.considered);
    const deviceBySerial = tracked?.bySerial ?? null;
    const trackedSerialKeys = tracked?.serialKeys ?? [];
    /** A page of a pass that did not load the tracked devices: those on the page are looked up in its transaction. */
    const matchInside = async (trx: Transaction<DB>, devices: readonly ProviderDevice[]) => {
      const serials = [...new Set(devices.map((device) => device.serialKey))];
      const matches = matchWith(
        idsBySerial(await findTrackableDevices(ctx, trx, statuses, serials)),
        devices,
      );
      return { matches, records: prepareRecords(matches) };
    };
    const configured = connection.settings.callBudget;
    const budget = typeof configured === 'number' ? configured : Math.max(100, estimated * 3);
    /** A page's devices read and, when the tracked devices are loaded, matched and made into records. */
    const prepare = (page: FetchedPage): ReadyPage['matched'] => {
      const { devices } = page;
      if (!deviceBySerial) return null;
      const matches = matchWith(deviceBySerial, devices);
      return { matches, records: prepareRecords(matches) };
    };
    const seenCursors = new Set<string>();
    const giving = { ms: 0 };
    let callsAsked = counters.apiCalls;
    /** Pages of this loop committed so far, and who waits for that number to grow. */
    let committed = 0;
    const commitWaiters: (() => void)[] = [];
    const committedAtLeast = async (pages: number): Promise<void> => {
      while (committed < pages) await new Promise<void>((resolve) => commitWaiters.push(resolve));
    };
    /**
     * Page `index` of this loop, from the moment its request left. Once it arrives, that is the page boundary:
     * the loop guard, the budget and the connection's state are checked and the next page is asked for at once,
     * before this one is read, matched or written: one request is out at a time, and the network never waits
     * on this process or the database. The next request waits only while the page before this one is still
     * being written, so no more than one page waits for its turn besides the one being written.
     */
    const arrive = (arriving: Promise<FetchedPage>, index: number): Promise<ReadyPage> => {
      const promise = arriving.then(async (page): Promise<ReadyPage> => {
        callsAsked += page.apiCalls;
        let next: Promise<ReadyPage> | null = null;
        let stop: ReadyPage['stop'] = null;
        let matched: ReadyPage['matched'] | undefined;
        if (page.cursor) {
          const position = page.nextPosition ?? page.cursor;
          if (seenCursors.has(position))
            throw new ProviderError('malformed', 'The provider repeated a page token (pagination loop)');
          seenCursors.add(position);
          if (callsAsked >= budget) stop = 'budget';
          else {
            // While the write falls behind, the page is read now and the request waits for the write.
            if (committed < index) {
              matched = prepare(page);
              await committedAtLeast(index);
            }
            if (await readyForNextPage(deps, confirmActive, signal, giving)) {
              const { promise: leaving, resolve: paced } = Promise.withResolvers<void>();
              const asking = fetchPage(page.cursor, paced);
              next = arrive(asking, index + 1);
              // This page is read once the request is on its way, not while it waits for its turn.
              await Promise.race([leaving, asking.then(noop, noop)]);
              await letRequestLeave();
            } else stop = 'deactivated';
          }
        }
        return { page, matched: matched === undefined ? prepare(page) : matched, next, stop };
      });
      // Awaited by the loop below; this only keeps a failure during a write from going unhandled.
      promise.catch(() => undefined);
      return promise;
    };
    const fetchPage = (from: string | null, paced?: () => void): Promise<FetchedPage> =>
      askPage(strategy as string, changedSince, trackedSerialKeys, from, paced);
    const { asked } = early;
    const useEarly = asked !== null && asked.strategy === strategy && asked.changedSince === changedSince;
    // The first page already asked for is checked for at its boundary, like any page in flight; otherwise the
    // connection is read again before the pass sends anything.
    if (!useEarly && !(await confirmActive())) throw new Deactivated();
    if (asked && !useEarly) {
      const dropped = await asked.page.catch(() => null);
      counters = { ...counters, apiCalls: counters.apiCalls + (dropped?.apiCalls ?? 1) };
      callsAsked = counters.apiCalls;
    }
    let pending: Promise<ReadyPage> | null = passComplete
      ? null
      : arrive(useEarly ? asked.page : fetchPage(cursor), 0);
    while (pending) {
      const { page, matched: prepared, next, stop } = await pending;
      pending = next;
      await recording;
      const matched = await deps.db.transaction().execute(async (trx) => {
        // The page and its checkpoint commit together, so a commit lost with the database server (not
        // flushed yet) loses both: the run resumes from the checkpoint before. No need to wait for the flush.
        await sql`set local synchronous_commit = off`.execute(trx);
        const { matches, records } = prepared ?? (await matchInside(trx, page.devices));
        const written = await writePage(trx, {
          districtId,
          provider: run.provider,
          runId: run.id,
          fetchedAt: new Date(),
          records,
        });
        counters = {
          ...counters,
          matched: counters.matched + matches.length,
          changed: counters.changed + written.changed,
          unchanged: counters.unchanged + written.unchanged,
          unmatchedProviderDevices: counters.unmatchedProviderDevices + page.devices.length - matches.length,
          apiCalls: counters.apiCalls + page.apiCalls,
          retries: counters.retries + page.retries,
          pages: counters.pages + 1,
        };
        await saveCheckpoint(trx, run.id, page.cursor, counters);
        return matches;
      });
      committed++;
      for (const wake of commitWaiters.splice(0)) wake();
      for (const match of matched) seen.add(match.deviceId);
      if (stop === 'budget') {
        throw new ProviderError(
          'budget_exceeded',
          `The run used its budget of ${budget} API calls and was stopped; stored data is unchanged beyond the pages already written`,
        );
      }
      if (stop === 'deactivated') throw new Deactivated();
    }
    await recording;
    await deps.db.transaction().execute(async (trx) => {
      // Only a pass that looked at every tracked device may say which ones the provider does not know.
      const notFound = complete
        ? await markNotFound(trx, {
            districtId,
            provider: run.provider,
            runId: run.id,
            unseenDeviceIds: (tracked?.ids ?? []).filter((id) => !seen.has(id)),
            fetchedAt: new Date(),
          })
        : counters.notFound;
      counters = { ...counters, matched: seen.size, notFound };
      await finishRun(trx, run.id, { state: 'succeeded', counters });
      await recordSyncOutcome(trx, {
        districtId,
        provider: run.provider,
        runId: run.id,
        state: 'succeeded',
        counters,
        strategy,
      });
    });
    return { rewritten: counters.changed + counters.notFound };
  } catch (error) {
    await recording.catch(noop);
    // Shutdown or a lost job: leave the run open at its checkpoint for the retried job to resume.
    if (signal.aborted) throw error;
    if (error instanceof Deactivated) {
      await finishRun(deps.db, run.id, {
        state: 'cancelled',
        counters,
        error: 'Stopped: the provider was deactivated',
      });
      return null;
    }
    await fail(ctx, deps, provider, run.id, counters, error);
    return null;
  }
}

/**
 * A fetched page, with its matches and records when they could be worked out before its transaction, the
 * next page's request when one left, and why none did when the pass is not over.
 */
interface ReadyPage {
  page: FetchedPage;
  matched: { matches: MatchedDevice[]; records: PreparedRecord[] } | null;
  next: Promise<ReadyPage> | null;
  stop: 'budget' | 'deactivated' | null;
}

/** The devices that are tracked, with their inventory ids. */
function matchWith(
  bySerial: ReadonlyMap<string, string>,
  devices: readonly ProviderDevice[],
): MatchedDevice[] {
  return devices.flatMap((device) => {
    const deviceId = bySerial.get(device.serialKey);
    return deviceId ? [{ deviceId, device }] : [];
  });
}

function idsBySerial(devices: readonly TrackedDevice[]): Map<string, string> {
  return new Map(devices.map((device) => [device.serialKey, device.id]));
}

/** The tracked devices' ids and serial keys (lined up, in serial key order), and the ids by serial key. */
function indexTracked(tracked: { ids: string[]; serialKeys: string[] }): {
  ids: string[];
  serialKeys: string[];
  bySerial: Map<string, string>;
} {
  const bySerial = new Map<string, string>();
  for (let index = 0; index < tracked.ids.length; index++)
    bySerial.set(tracked.serialKeys[index] as string, tracked.ids[index] as string);
  return { ...tracked, bySerial };
}

/**
 * Authorizes with the access token the connection last obtained, in whatever process (still good, it saves
 * asking the provider for one), and keeps the provider's new one, encrypted like the secret.
 */
async function authorizeWithAccessCache(
  deps: SyncDeps,
  sync: SyncCapability,
  providerDeps: ProviderDeps,
  run: {
    /** As stored: `secret` encrypted. */
    connection: { id: string; secret: string; access_cache: string | null };
    districtId: string;
    /** The connection's secret in plain text. */
    secret: string;
    signal: AbortSignal;
  },
): Promise<void> {
  if (!sync.authorize) return;
  const { connection, districtId, secret, signal } = run;
  const place = { table: 'mdm_connections', rowId: connection.id, districtId, field: 'access_cache' };
  let cached: string | null = null;
  try {
    cached = connection.access_cache ? decryptSecret(deps.keyring, connection.access_cache, place) : null;
  } catch (error) {
    // Written under a key since retired: as if there were none.
    if (!(error instanceof SecretUnreadable)) throw error;
  }
  const access = await sync.authorize(providerDeps, secret, signal, cached);
  if (access && access !== cached)
    await storeAccessCache(deps.db, connection, encryptSecret(deps.keyring, access, place));
}

const noop = () => undefined;

/** The limiter, telling `paced` when a request's first turn came. */
function tellingLimiter(limiter: RequestLimiter, paced: () => void): RequestLimiter {
  return {
    acquire: async (signal) => {
      await limiter.acquire(signal);
      paced();
    },
    slowDown: (ms) => limiter.slowDown(ms),
  };
}

/** A request whose turn came this long after the connection was last seen active reads its state again. */
const ACTIVE_CHECK_STALE_MS = 250;

/**
 * The limiter, asking again whether the connection is still active when a request's turn comes long after it
 * was last seen so: a retry after its backoff, a turn under a quota that binds. A deactivation meanwhile sends
 * the provider nothing more; the run stops as at a page boundary.
 */
function activeLimiter(
  limiter: RequestLimiter,
  activeSeen: { at: number },
  confirmActive: () => Promise<boolean>,
): RequestLimiter {
  return {
    acquire: async (signal) => {
      await limiter.acquire(signal);
      if (performance.now() - activeSeen.at > ACTIVE_CHECK_STALE_MS && !(await confirmActive()))
        throw new Deactivated();
    },
    slowDown: (ms) => limiter.slowDown(ms),
  };
}

/**
 * Gives the HTTP client the turns of the event loop it takes to hand a request to its socket (two, measured
 * with Node's fetch) before a page is written: an embedded database runs its statements on this thread, and
 * a request still queued behind them would leave only once the write is done, a page's time later.
 */
async function letRequestLeave(): Promise<void> {
  await setImmediate();
  await setImmediate();
}

/**
 * At a page boundary, before the next request: whether the connection is still active, after pausing while a
 * smaller district's run is under way (at most MAX_GIVING_WAY_MS over the whole run). Both are read at once.
 */
async function readyForNextPage(
  deps: SyncDeps,
  stillActive: () => Promise<boolean>,
  signal: AbortSignal,
  giving: { ms: number },
): Promise<boolean> {
  for (;;) {
    const [active, smaller] = await Promise.all([
      stillActive(),
      giving.ms < MAX_GIVING_WAY_MS && deps.smallerRunning ? deps.smallerRunning() : false,
    ]);
    if (!active || !smaller) return active;
    await sleep(GIVING_WAY_STEP_MS, undefined, { signal });
    giving.ms += GIVING_WAY_STEP_MS;
  }
}

/** Read at every page boundary, before the next request: the state alone, as cheaply as it can be read. */
async function stillActive(deps: SyncDeps, districtId: string, provider: string): Promise<boolean> {
  const row = await deps.db
    .selectFrom('mdm_connections')
    .select('state')
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return row !== undefined && SYNCING_STATES.includes(row.state);
}

async function fail(
  ctx: RequestContext,
  deps: SyncDeps,
  provider: ProviderDefinition,
  runId: string,
  counters: SyncCounters,
  error: unknown,
): Promise<void> {
  const message = error instanceof ProviderError ? error.message : 'The sync failed unexpectedly';
  if (!(error instanceof ProviderError)) ctx.log.error({ err: error }, 'sync failed');
  await finishRun(deps.db, runId, { state: 'failed', counters, error: message });
  const reauthorize = error instanceof ProviderError && error.reason === 'auth_revoked';
  await recordSyncOutcome(deps.db, {
    districtId: ctx.districtId,
    provider: provider.key,
    runId,
    state: 'failed',
    counters,
    error: message,
    connectionState: reauthorize ? 'needs_reauthorization' : 'error',
  });
  await recordAudit(ctx, deps.db, {
    action: reauthorize ? 'mdm.authorization_rejected' : 'mdm.sync_failed',
    subjectType: 'mdm_provider',
    subjectId: provider.key,
    details: { runId, error: message },
  });
}

export type { SyncCapability };

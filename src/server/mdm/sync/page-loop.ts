import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import { sql, type Transaction } from 'kysely';
import type { RunEstimate } from '../../../common/mdm.ts';
import type { DB } from '../../db/schema.ts';
import { ProviderError } from '../../errors.ts';
import { findTrackableDevices } from '../../inventory/index.ts';
import type { FetchedPage, ProviderDevice } from '../provider.ts';
import { type ActiveWatch, Deactivated } from './deactivated.ts';
import type { AskPage } from './plan-step.ts';
import type { OpenedRun, SyncDeps } from './run-setup.ts';
import { type RunCheckpoint, recordFallback, type SyncCounters, saveCheckpoint } from './runs.ts';
import { idsBySerial, matchWith, type TrackedIndex } from './tracked.ts';
import { type MatchedDevice, type PreparedRecord, prepareRecords, writePage } from './writer.ts';

/**
 * A run pauses between pages while smaller districts' runs are under way (they have the machine and the quota
 * first), for this long at most in all, so that a stream of small runs cannot hold a large one back for good.
 */
const MAX_GIVING_WAY_MS = 120_000;
const GIVING_WAY_STEP_MS = 250;

/** A page's matches and the records made of them, when they could be worked out before its transaction. */
type Matched = { matches: MatchedDevice[]; records: PreparedRecord[] } | null;

/**
 * A fetched page, with its matches and records when they could be worked out before its transaction, the
 * next page's request when one left, and why none did when the pass is not over.
 */
interface ReadyPage {
  page: FetchedPage;
  matched: Matched;
  next: Promise<ReadyPage> | null;
  /** Where the pass goes on after this page, as its checkpoint says. */
  checkpoint: RunCheckpoint;
  /** The pass changed strategy at this page: the run's row records it with the page. */
  fellBack: boolean;
  stop: 'budget' | 'deactivated' | 'fallback_refused' | null;
}

/** Where a run stands as it goes: what it has counted, the strategy it uses, the tracked devices it has seen. */
export interface RunProgress {
  counters: SyncCounters;
  strategy: string | null;
  seen: Set<string>;
}

export interface PassInput {
  strategy: string;
  estimate: RunEstimate;
  /** Where the pass resumes (null: its start). */
  cursor: string | null;
  /** The tracked devices, when the pass looks at every one; null for a pass that lists only what changed. */
  tracked: TrackedIndex | null;
  budget: number;
  /** A first page already asked for during planning, to use as the pass's first. */
  firstPage: Promise<FetchedPage> | null;
  /** The plan's record on the run's row: in place before any page is written. */
  recording: Promise<void>;
}

/**
 * Reads a pass page by page, and writes each page with its checkpoint in one transaction. Once a page arrives,
 * that is the page boundary: the loop guard, the budget and the connection's state are checked and the next
 * page is asked for at once, before this one is read, matched or written: one request is out at a time, and the
 * network never waits on this process or the database. The next request waits only while the page before this
 * one is still being written, so no more than one page waits for its turn besides the one being written.
 */
export class PassReader {
  readonly #deps: SyncDeps;
  readonly #opened: OpenedRun;
  readonly #askPage: AskPage;
  readonly #active: ActiveWatch;
  readonly #signal: AbortSignal;
  readonly #input: PassInput;
  #estimate: RunEstimate;
  #budget: number;
  #callsAsked: number;
  /** Updated as pages commit, so that a run that stops part-way records what it did. */
  readonly #progress: RunProgress;
  readonly #seenPositions = new Set<string>();
  readonly #givenWay = { ms: 0 };
  /** Pages of this pass committed so far, and who waits for that number to grow. */
  #committed = 0;
  readonly #commitWaiters: (() => void)[] = [];

  constructor(
    deps: SyncDeps,
    opened: OpenedRun,
    tools: { askPage: AskPage; active: ActiveWatch; signal: AbortSignal },
    progress: RunProgress,
    input: PassInput,
  ) {
    this.#deps = deps;
    this.#opened = opened;
    this.#askPage = tools.askPage;
    this.#active = tools.active;
    this.#signal = tools.signal;
    this.#input = input;
    this.#estimate = input.estimate;
    this.#budget = input.budget;
    this.#progress = progress;
    this.#progress.strategy = input.strategy;
    this.#callsAsked = progress.counters.apiCalls;
  }

  /** The strategy the pass uses now (another than planned after a fallback). */
  get #strategy(): string {
    return this.#progress.strategy as string;
  }

  /** Reads every page from `cursor` on and writes it; throws to stop the run (budget, deactivation, faults). */
  async read(): Promise<void> {
    let pending: Promise<ReadyPage> | null = this.#arrive(
      this.#input.firstPage ?? this.#fetch(this.#input.cursor),
      0,
    );
    while (pending) {
      const ready: ReadyPage = await pending;
      pending = ready.next;
      await this.#input.recording;
      await this.#write(ready);
      this.#committed++;
      for (const wake of this.#commitWaiters.splice(0)) wake();
      this.#throwForStop(ready);
    }
  }

  #fetch(from: string | null, paced?: () => void): Promise<FetchedPage> {
    const trackedSerialKeys = this.#input.tracked?.serialKeys ?? [];
    return this.#askPage(this.#strategy, this.#estimate.changedSince, trackedSerialKeys, from, paced);
  }

  /** Page `index` of this pass, from the moment its request left, up to the moment the next one leaves. */
  #arrive(arriving: Promise<FetchedPage>, index: number): Promise<ReadyPage> {
    const promise = arriving.then(async (page): Promise<ReadyPage> => {
      this.#callsAsked += page.apiCalls;
      if (page.fallback) return this.#fallBack(page, index);
      const checkpoint = {
        cursor: page.cursor,
        passComplete: page.cursor === null,
        strategy: this.#strategy,
      };
      const last = { page, next: null, checkpoint, fellBack: false };
      if (!page.cursor) return { ...last, matched: this.#prepare(page), stop: null };
      this.#guardLoop(page.nextPosition ?? page.cursor);
      if (this.#callsAsked >= this.#budget) return { ...last, matched: this.#prepare(page), stop: 'budget' };
      const { cursor } = page;
      return this.#askNext(page, index, { checkpoint, fellBack: false }, (paced) =>
        this.#fetch(cursor, paced),
      );
    });
    // Awaited by the loop; this only keeps a failure during a write from going unhandled.
    promise.catch(noop);
    return promise;
  }

  /**
   * Asks for the next page once the connection is confirmed active, reading this page meanwhile when the
   * write of the one before is behind.
   */
  async #askNext(
    page: FetchedPage,
    index: number,
    after: Pick<ReadyPage, 'checkpoint' | 'fellBack'>,
    ask: (paced: () => void) => Promise<FetchedPage>,
  ): Promise<ReadyPage> {
    let matched: Matched | undefined;
    // While the write falls behind, the page is read now and the request waits for the write.
    if (this.#committed < index) {
      matched = this.#prepare(page);
      await this.#committedAtLeast(index);
    }
    const readMatched = () => (matched === undefined ? this.#prepare(page) : matched);
    if (!(await this.#readyForNextPage()))
      return { page, matched: readMatched(), next: null, ...after, stop: 'deactivated' };
    const { promise: leaving, resolve: paced } = Promise.withResolvers<void>();
    const asking = ask(() => paced());
    const next = this.#arrive(asking, index + 1);
    // This page is read once the request is on its way, not while it waits for its turn.
    await Promise.race([leaving, asking.then(noop, noop)]);
    await letRequestLeave();
    return { page, matched: readMatched(), next, ...after, stop: null };
  }

  /**
   * The provider found that the planned strategy cannot do its job (it ignored a lookup's filter). Under
   * `fewest_calls` the rest of the run uses the provider's fallback from its first page; under `tracked_only`,
   * which allows no listing, the run stops once this page is written.
   */
  async #fallBack(page: FetchedPage, index: number): Promise<ReadyPage> {
    const fallback = page.fallback as NonNullable<FetchedPage['fallback']>;
    const stay = { cursor: page.cursor, passComplete: false, strategy: this.#strategy };
    if (this.#estimate.requestScope === 'tracked_only') {
      const matched = this.#prepare(page);
      return { page, matched, next: null, checkpoint: stay, fellBack: false, stop: 'fallback_refused' };
    }
    this.#estimate = {
      ...this.#estimate,
      fallback: { from: this.#strategy, to: fallback.strategy, reason: fallback.reason },
    };
    this.#progress.strategy = fallback.strategy;
    this.#seenPositions.clear();
    this.#liftBudgetForFallback();
    const checkpoint = { cursor: null, passComplete: false, strategy: this.#strategy };
    return this.#askNext(page, index, { checkpoint, fellBack: true }, (paced) => this.#fetch(null, paced));
  }

  /** With no budget of the district's own, a fallback gets room for its strategy (a listing costs more). */
  #liftBudgetForFallback(): void {
    if (typeof this.#opened.settings.callBudget === 'number') return;
    const fleetSize = this.#estimate.fleetSize ?? this.#estimate.trackedCount;
    const option = this.#opened.sync
      .estimates({ trackedCount: this.#estimate.trackedCount, fleetSize, changed: null })
      .find((candidate) => candidate.strategy === this.#strategy);
    this.#budget = Math.max(this.#budget, this.#callsAsked + Math.max(100, (option?.apiCalls ?? 0) * 3));
  }

  #guardLoop(position: string): void {
    if (this.#seenPositions.has(position))
      throw new ProviderError('malformed', 'The provider repeated a page token (pagination loop)');
    this.#seenPositions.add(position);
  }

  async #committedAtLeast(pages: number): Promise<void> {
    while (this.#committed < pages) await new Promise<void>((resolve) => this.#commitWaiters.push(resolve));
  }

  /** A page's devices read and, when the tracked devices are loaded, matched and made into records. */
  #prepare(page: FetchedPage): Matched {
    const { devices } = page;
    const tracked = this.#input.tracked;
    if (!tracked) return null;
    const matches = matchWith(tracked.bySerial, devices);
    return { matches, records: prepareRecords(matches, this.#opened.provider.identity) };
  }

  /** A page of a pass that did not load the tracked devices: those on the page are looked up in its transaction. */
  async #matchInside(
    trx: Transaction<DB>,
    devices: readonly ProviderDevice[],
  ): Promise<NonNullable<Matched>> {
    const { ctx, statuses } = this.#opened;
    const serials = [...new Set(devices.map((device) => device.serialKey))];
    const matches = matchWith(idsBySerial(await findTrackableDevices(ctx, trx, statuses, serials)), devices);
    return { matches, records: prepareRecords(matches, this.#opened.provider.identity) };
  }

  /** The page's records, counters and checkpoint, in one transaction. */
  async #write(ready: ReadyPage): Promise<void> {
    const { page } = ready;
    const { run, ctx } = this.#opened;
    const matches = await this.#deps.db.transaction().execute(async (trx) => {
      // The page and its checkpoint commit together, so a commit lost with the database server (not flushed
      // yet) loses both: the run resumes from the checkpoint before. No need to wait for the flush.
      await sql`set local synchronous_commit = off`.execute(trx);
      const { matches, records } = ready.matched ?? (await this.#matchInside(trx, page.devices));
      const written = await writePage(trx, {
        districtId: ctx.districtId,
        provider: run.provider,
        runId: run.id,
        fetchedAt: new Date(),
        records,
      });
      const { counters } = this.#progress;
      this.#progress.counters = {
        ...counters,
        matched: counters.matched + matches.length,
        changed: counters.changed + written.changed,
        unchanged: counters.unchanged + written.unchanged,
        unmatchedProviderDevices: counters.unmatchedProviderDevices + page.devices.length - matches.length,
        apiCalls: counters.apiCalls + page.apiCalls,
        retries: counters.retries + page.retries,
        pages: counters.pages + 1,
      };
      if (ready.fellBack)
        await recordFallback(trx, run.id, { strategy: this.#strategy, estimate: this.#estimate });
      await saveCheckpoint(trx, run.id, ready.checkpoint, this.#progress.counters);
      return matches;
    });
    for (const match of matches) this.#progress.seen.add(match.deviceId);
  }

  #throwForStop(ready: ReadyPage): void {
    switch (ready.stop) {
      case 'budget':
        throw new ProviderError(
          'budget_exceeded',
          `The run used its budget of ${this.#budget} API calls and was stopped; stored data is unchanged beyond the pages already written`,
        );
      case 'deactivated':
        throw new Deactivated();
      case 'fallback_refused':
        throw new ProviderError(
          'unavailable',
          `${(ready.page.fallback as NonNullable<FetchedPage['fallback']>).reason}. Looking devices up one by one is the only way under “Only devices in Satchel”, and listing every device is not allowed: choose “Fewest API calls” to let Satchel list the fleet instead`,
        );
      case null:
        return;
    }
  }

  /**
   * At a page boundary, before the next request: whether the connection is still active, after pausing while a
   * smaller district's run is under way (at most MAX_GIVING_WAY_MS over the whole run). Both are read at once.
   */
  async #readyForNextPage(): Promise<boolean> {
    const { smallerRunning } = this.#deps;
    for (;;) {
      const [active, smaller] = await Promise.all([
        this.#active.confirm(),
        this.#givenWay.ms < MAX_GIVING_WAY_MS && smallerRunning ? smallerRunning() : false,
      ]);
      if (!active || !smaller) return active;
      await sleep(GIVING_WAY_STEP_MS, undefined, { signal: this.#signal });
      this.#givenWay.ms += GIVING_WAY_STEP_MS;
    }
  }
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

const noop = () => undefined;

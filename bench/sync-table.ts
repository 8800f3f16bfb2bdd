import { availableParallelism } from 'node:os';
import type { StrategyOption } from '../src/common/mdm.ts';
import type { FleetSizes, ProviderBench } from './providers/adapter.ts';

/** What `sync-child.ts` prints about one run. */
export interface RunReport {
  seconds: number;
  statisticsSeconds: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  heapPeakMb: number;
  atPeakMb: Record<string, number>;
  cpuBy: Record<string, number>;
  written: number;
  /** WAL the database server wrote during the run (every database on it), or null on PGlite. */
  walBytes: number | null;
  cpuSeconds: number;
  machineCpuSeconds: number;
  /** Null where the provider's fake does not count its requests. */
  providerRequests: number | null;
  providerServiceSeconds: number | null;
  run: {
    state: string;
    error: string | null;
    strategy: string;
    estimate: {
      apiCalls: number;
      fleetSize: number | null;
      changedCount: number | null;
      options: StrategyOption[];
    };
    counters: Record<string, number>;
  };
}

/** One measured run and what it ran against. */
export interface MeasuredRun {
  latencyMs: number;
  label: string;
  report: RunReport;
}

/** The devices a run's strategy asks about: the tracked ones for lookups, the fleet or its changes for listings. */
function devicesAskedAbout(report: RunReport, sizes: FleetSizes): number {
  const option = report.run.estimate.options.find((candidate) => candidate.strategy === report.run.strategy);
  if (!option || option.targeted) return sizes.tracked;
  return option.complete ? sizes.fleet : sizes.changed;
}

/**
 * The calls the run's planning spent counting the provider's side (the fleet, or what changed): its estimate
 * less the chosen strategy's own. They are part of the planner's minimum for the run.
 */
function countingCalls(report: RunReport): number {
  const { estimate, strategy } = report.run;
  const option = estimate.options.find((candidate) => candidate.strategy === strategy);
  return option ? Math.max(0, estimate.apiCalls - option.apiCalls) : 0;
}

const dash = '—';

/** The table's columns: a title and each run's cell. */
function columns(provider: ProviderBench, sizes: FleetSizes): [string, (run: MeasuredRun) => string][] {
  const minimum = ({ report }: MeasuredRun) => provider.minimumCalls(report.run.strategy, sizes);
  // One request (or the provider's `requestsAtOnce`) is out at a time, so the run can end no sooner than the
  // fewest requests' latencies one round after the other (a request may carry several API calls: Graph's
  // `$batch`). Nor sooner than the CPU time every process on the machine spent, spread over its cores.
  const requests = (run: MeasuredRun) =>
    provider.roundTrips?.(run.report.run.strategy, sizes) ?? minimum(run);
  const networkMinimum = (run: MeasuredRun) =>
    (Math.ceil(requests(run) / (provider.requestsAtOnce ?? 1)) * run.latencyMs) / 1000;
  return [
    ['latency', (run) => `${run.latencyMs} ms`],
    ['run', (run) => run.label],
    ['strategy', ({ report }) => report.run.strategy],
    ['wall s', ({ report }) => report.seconds.toFixed(1)],
    ['then statistics s', ({ report }) => report.statisticsSeconds.toFixed(2)],
    [
      'API calls (minimum)',
      (run) => `${run.report.run.counters.apiCalls} (${minimum(run) + countingCalls(run.report)})`,
    ],
    ['rows written', ({ report }) => String(report.written)],
    ['WAL MB', ({ report }) => (report.walBytes === null ? dash : (report.walBytes / 2 ** 20).toFixed(1))],
    [
      'peak RSS MB (at start)',
      ({ report }) => `${report.rssPeakMb.toFixed(0)} (${report.rssBeforeMb.toFixed(0)})`,
    ],
    ['peak JS heap MB', ({ report }) => report.heapPeakMb.toFixed(0)],
    [
      'devices/s',
      ({ report }) => Math.round(devicesAskedAbout(report, sizes) / report.seconds).toLocaleString('en-US'),
    ],
    ['worker CPU s', ({ report }) => report.cpuSeconds.toFixed(1)],
    [`machine CPU s (${availableParallelism()} cores)`, ({ report }) => report.machineCpuSeconds.toFixed(1)],
    [`${provider.name} answering s`, ({ report }) => report.providerServiceSeconds?.toFixed(1) ?? dash],
    ['network minimum s', (run) => networkMinimum(run).toFixed(1)],
    [
      'wall ÷ network minimum',
      (run) => (networkMinimum(run) > 0 ? (run.report.seconds / networkMinimum(run)).toFixed(2) : dash),
    ],
    ['CPU floor s', ({ report }) => (report.machineCpuSeconds / availableParallelism()).toFixed(1)],
  ];
}

/** Prints one row per run, the columns padded to line up. */
export function printRuns(provider: ProviderBench, sizes: FleetSizes, runs: readonly MeasuredRun[]): void {
  const table = columns(provider, sizes);
  const rows = [table.map(([title]) => title), ...runs.map((run) => table.map(([, cell]) => cell(run)))];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    console.log(`  ${row.map((text, column) => text.padEnd(widths[column]!)).join('  ')}`);
}

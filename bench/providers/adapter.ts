import type { ProviderKey } from '../../src/common/mdm.ts';

/** The fleet a provider's fake should hold: the district's tracked devices and some it does not track. */
export interface FleetPlan {
  /** Serial keys of the district's tracked devices, each of which the fleet holds. */
  trackedSerialKeys: readonly string[];
  /**
   * Devices the district does not track, `junk` of them with junk serials ("0", "To be filled by O.E.M.").
   */
  strangers: number;
  junk: number;
  /** Seed of the fake's generator, so every run of the benchmark meets the same fleet. */
  seed: number;
  /**
   * Every device last checked in before this time, so an incremental pass finds only what the benchmark
   * changes.
   */
  checkedInBefore: Date;
}

/** The fleet as written, for starting the fake and for the figures. */
export interface BenchFleet {
  /** What the fake reads at start: a fleet file, or the serials it generates its fleet around. */
  file: string;
  /** Devices the fake holds, tracked or not: what a full listing pages through. */
  size: number;
  /**
   * The fake's own id of every device, in a fixed order; the benchmark changes some of these between runs.
   */
  deviceIds: readonly string[];
}

/** A fake running as a process of its own. */
export interface RunningFake {
  /** Where its control routes (`/__fake/…`) answer. */
  origin: string;
  /** The environment that points Satchel's configuration at it (an OAuth client, API base URLs). */
  environment: Record<string, string>;
  /** Every `NAME=value` line its command line printed: base URLs, client IDs and secrets. */
  printed: Record<string, string>;
  stop(): void;
}

/**
 * A request to Satchel's API as the district's signed-in administrator: the answer's JSON (an empty object
 * for a redirect); throws for an error status.
 */
export type AdminApi = (
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  payload?: object,
) => Promise<Record<string, unknown>>;

/** What a run could have cost at best is worked out from these. */
export interface FleetSizes {
  tracked: number;
  fleet: number;
  changed: number;
}

/** A provider as the sync benchmark meets it: its fake, a connection to it, and the cost of each strategy. */
export interface ProviderBench {
  key: ProviderKey;
  /** The provider's name in the output ("Google"). */
  name: string;
  /** Writes into `dir` what the fake needs to hold the planned fleet. */
  writeFleet(dir: string, plan: FleetPlan): Promise<BenchFleet>;
  /**
   * Starts the fake on a free port; `publicUrl` is Satchel's, for the redirect URIs an OAuth client allows.
   */
  startFake(fleet: BenchFleet, publicUrl: string): Promise<RunningFake>;
  /** The settings the connection is activated with (a base URL, a tenant), besides the request scope. */
  activationSettings(fake: RunningFake): Record<string, unknown>;
  /** Authorizes the activated connection: the browser's round trip, or `POST …/credentials`. */
  authorize(api: AdminApi, fake: RunningFake): Promise<void>;
  /**
   * Changes the given devices at the fake, checked in now, `tag` telling this change from the last (a new OS
   * version, say). Absent where the provider cannot list only what changed: the benchmark then has no
   * incremental runs.
   */
  changeDevices?(fakeOrigin: string, deviceIds: readonly string[], tag: string): Promise<void>;
  /**
   * Requests a run sends side by side (Jamf Pro's two inventories at once); the network minimum counts rounds
   * of them. Default 1: one request out at a time.
   */
  requestsAtOnce?: number;
  /** The fewest API calls a run with this strategy could make (`plannerMinimum` asks the planner). */
  minimumCalls(strategy: string, sizes: FleetSizes): number;
  /**
   * The fewest requests a run with this strategy sends one after another, where that is not its API calls:
   * Graph's `$batch` carries 20 API calls in one request. Absent, each API call is a request of its own.
   */
  roundTrips?(strategy: string, sizes: FleetSizes): number;
  /** API requests the fake has answered so far and the time it spent on them, where the fake counts them. */
  stats?(fakeOrigin: string): Promise<{ apiRequests: number; serviceMs: number }>;
  /** Has the fake collect its garbage between runs, where it can, so none of it falls inside the next run. */
  collectGarbage?(fakeOrigin: string): Promise<void>;
}

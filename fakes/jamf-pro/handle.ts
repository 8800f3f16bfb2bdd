/**
 * The handle a test, benchmark or demo drives the fake with. Most methods take an instance name; omitted,
 * it is the default instance, served at the root.
 */
import type {
  DeepPartial,
  FailNextOptions,
  FakeApiClient,
  FakeComputer,
  FakeInstanceOptions,
  FakeInstanceSettings,
  FakeLogEntry,
  FakeMobileDevice,
  MalformedKind,
  MalformedNextOptions,
  TokenPath,
} from './types.ts';

export const DEFAULT_INSTANCE = 'default';

export interface FakeJamfInstance {
  readonly name: string;
  /** Base URL a client is configured with (`url` for the default instance, `url/instances/<name>` else). */
  readonly url: string;
  /** Live settings; `configure` changes several at once. */
  readonly settings: Required<FakeInstanceSettings>;
  configure(settings: FakeInstanceSettings): void;
  /** Requests being answered now. */
  readonly inFlight: number;
  /** Most requests answered at once since the start (or the last `resetConcurrency`). */
  readonly maxConcurrent: number;
  resetConcurrency(): void;
}

export interface FakeJamfPro {
  /** Origin, e.g. http://127.0.0.1:4020, and the default instance's base URL. */
  readonly url: string;
  readonly port: number;
  /** Live log, oldest first. */
  readonly requests: FakeLogEntry[];
  /** Inventory requests answered so far and the time spent working their answers out (latency not included). */
  stats(): { apiRequests: number; serviceMs: number };
  mark(): number;
  requestsSince(mark: number): FakeLogEntry[];
  clearLog(): void;
  /** The least time an answer takes from its request's arrival. */
  latencyMs: number;
  failNext(n: number, status?: number, options?: FailNextOptions): void;
  malformedNext(n: number, kind: MalformedKind, options?: MalformedNextOptions): void;
  /** Clears scheduled faults and latency. */
  resetFaults(): void;
  close(): Promise<void>;

  readonly defaultClient: FakeApiClient;
  addInstance(name: string, options?: FakeInstanceOptions): FakeJamfInstance;
  instance(name?: string): FakeJamfInstance;
  instances(): FakeJamfInstance[];
  instanceUrl(name?: string): string;

  addClient(instance: string, client: FakeApiClient): void;
  clients(instance?: string): FakeApiClient[];
  /**
   * Deletes the client: its secret and every token it was given stop working. `keepTokens` lets the tokens
   * already given run to their expiry (Jamf's documented behaviour for a disabled or deleted client).
   */
  revokeClient(instance: string, clientId: string, options?: { keepTokens?: boolean }): boolean;
  removePrivilege(instance: string, clientId: string, privilege: string): void;
  addPrivilege(instance: string, clientId: string, privilege: string): void;
  /** Every access token of the instance (of every instance when omitted) expires now. */
  expireTokens(instance?: string): void;

  computers(instance?: string): FakeComputer[];
  mobileDevices(instance?: string): FakeMobileDevice[];
  setComputers(instance: string, computers: FakeComputer[]): void;
  setMobileDevices(instance: string, devices: FakeMobileDevice[]): void;
  updateComputer(instance: string, id: string, patch: DeepPartial<FakeComputer>): FakeComputer;
  updateMobileDevice(
    instance: string,
    mobileDeviceId: string,
    patch: DeepPartial<FakeMobileDevice>,
  ): FakeMobileDevice;

  /** The default instance's `maxConcurrent`. */
  readonly maxConcurrent: number;
  /** Resets `maxConcurrent` of every instance. */
  resetConcurrency(): void;
  /** The default instance's settings, for short tests. */
  concurrencyLimit: number;
  maxUrlLength: number;
  rsqlCaseSensitive: boolean;
  tokenPaths: TokenPath[];

  /** Moves the fake clock (token expiry, log times). */
  advanceTime(ms: number): void;
  now(): number;
}

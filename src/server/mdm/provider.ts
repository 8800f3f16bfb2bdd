import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { CommonSettings, NormalizedFields, ProviderKey, StrategyOption } from '../../common/mdm.ts';
import type { Config } from '../config.ts';
import type { RateLimitUnit, RequestLimiter } from './http/limiter.ts';

/**
 * The plug-in contract every MDM provider implements (types only). A provider never touches the database: it
 * receives settings and its decrypted secret, and returns what the connection stores. It imports nothing from
 * the sync engine; what both use (retries, limiter types, HTTP) lives in `mdm/http/`.
 */
export interface ProviderDeps {
  config: Config;
  log: FastifyBaseLogger;
  /** Paces requests to the provider across every worker (sync runs); absent, requests are not paced. */
  limiter?: RequestLimiter | undefined;
}

/** A provider's settings as stored: the shared ones, its own fields, and how it was authorized. */
export type ProviderSettings = CommonSettings & { authMethod: string } & Record<string, unknown>;

/** What a successful authorization leaves behind; `secret` is stored encrypted and never leaves the server. */
export interface Authorization {
  secret: string;
  account: string | null;
  grantedScopes: string[];
  /**
   * An access token the provider gave with the authorization, in the form its sync keeps between runs
   * (`SyncCapability.authorize`): the first run after authorizing starts with it instead of asking for one.
   */
  accessCache?: string | null;
}

/**
 * The environment variables a provider reads, parsed once at start with everything else (bad values stop
 * Satchel, naming each), and what it makes of them; the provider reads its block with `config.providers[key]`.
 */
export interface ProviderConfigBlock<Block = unknown> {
  environment: z.ZodObject;
  read(values: Record<string, unknown>): Block;
}

/** Authorization in the browser: OAuth's consent screen, or Microsoft's admin consent. */
export interface BrowserAuthCapability {
  /** The stored auth method this sets (e.g. `oauth`). */
  method: string;
  /** Why it cannot be used right now (e.g. no OAuth client configured), or null. */
  unavailableReason(config: Config): string | null;
  authorizationUrl(
    deps: ProviderDeps,
    request: { state: string; codeChallenge: string; redirectUri: string; settings: ProviderSettings },
  ): string;
  /**
   * The browser came back with the provider's answer (`state` already checked against this session): turns it
   * into an authorization, or throws `Invalid`/`ProviderError` saying what to fix.
   */
  complete(
    deps: ProviderDeps,
    request: {
      query: Readonly<Record<string, string | undefined>>;
      codeVerifier: string;
      redirectUri: string;
      settings: ProviderSettings;
    },
  ): Promise<Authorization>;
  /** Tells the provider the stored authorization is no longer wanted (nothing to do for some methods). */
  revoke(deps: ProviderDeps, secret: string): Promise<void>;
}

/** Authorization by credentials the administrator pastes: a key, a client id and secret, an API key. */
export interface CredentialsCapability {
  /** The stored auth method this sets (e.g. `service_account`, `client_credentials`). */
  method: string;
  /** The body of `POST …/credentials`; parsed before `accept`, its issues answered as 400 by field. */
  schema: z.ZodType<Record<string, unknown>>;
  /**
   * Checks the credentials with one cheap call that needs the device-read permission (so a credential without
   * it is refused, not only a wrong secret) and returns what to store. Throws `Invalid` naming what to fix.
   */
  accept(
    deps: ProviderDeps,
    credentials: Record<string, unknown>,
    settings: ProviderSettings,
  ): Promise<Authorization>;
}

export interface ProviderDefinition {
  key: ProviderKey;
  /** Full name, for the tile: "Google Admin (ChromeOS)". */
  name: string;
  /** Short name, for labels: "Last check-in (Google)", "Not in Intune". */
  shortName: string;
  description: string;
  /** Path of the setup guide in the repository's docs. */
  guide: string;
  /** The provider's settings with defaults filled in (CommonSettings extended); throws a ZodError for bad values. */
  settings: z.ZodType<ProviderSettings>;
  /**
   * Settings checked again, asynchronously, before they are stored (a district-entered URL is resolved and its
   * addresses checked); throws `Invalid` naming the rule broken.
   */
  checkSettings?(deps: ProviderDeps, settings: ProviderSettings): Promise<void>;
  config?: ProviderConfigBlock;
  browserAuth?: BrowserAuthCapability;
  credentials?: CredentialsCapability;
  sync: SyncCapability;
  /** The unit the provider's limits apply to; the engine enforces it across every worker. */
  rateLimit: RateLimitUnit<Config>;
  /** Which of the provider's extras name the device and its user the way a technician does. */
  identity: DeviceIdentityKeys;
  /** Link to the device in the provider's own console. */
  consoleUrl?: (
    record: { providerDeviceId: string; extras: Record<string, unknown> },
    settings: ProviderSettings,
  ) => string | null;
}

/**
 * Keys of a provider's `extras` (its own words for a device's name, asset tag and user). The device search reads
 * `searchable` besides the fields every provider has (users, MAC addresses, the provider's device id); the
 * inventory compares `assetTag` with its own.
 */
export interface DeviceIdentityKeys {
  assetTag: string | null;
  searchable: readonly string[];
}

/** One provider device, already normalized; the engine never sees provider JSON. */
export interface ProviderDevice {
  serialKey: string;
  providerDeviceId: string;
  fields: NormalizedFields;
  extras: Record<string, unknown>;
}

export interface FetchedPage {
  /**
   * The page's devices. A provider may read them from the answer only when first asked (the engine asks
   * after sending the next request); reading then throws the provider's error for a broken answer.
   */
  readonly devices: ProviderDevice[];
  /** Where the next page starts; null when the pass is complete. */
  cursor: string | null;
  /**
   * The provider's own name for where the next page starts (e.g. its page token), for the engine's loop
   * guard when the cursor also carries bookkeeping; defaults to the cursor.
   */
  nextPosition?: string;
  apiCalls: number;
  retries: number;
  /**
   * The provider found that this strategy cannot do its job (Graph ignored a lookup's filter and answered with
   * other devices): the rest of the run should use `strategy` from its first page. The engine switches where the
   * request scope allows it and fails the run otherwise; the page's devices still count.
   */
  fallback?: { strategy: string; reason: string };
}

/** One way a run could ask the provider, with what it would cost (see StrategyOption). */
export type StrategyEstimate = StrategyOption;

export interface PlanInput {
  trackedCount: number;
  /** Provider devices in scope, counted for this run or seen on an earlier one; null when unknown. */
  fleetSize: number | null;
  /** Devices changed since the last good sync, when an incremental pass is allowed and was counted. */
  changed: { since: string; count: number } | null;
}

export interface SyncRequest {
  secret: string;
  settings: ProviderSettings;
  strategy: string;
  /** For an incremental strategy: the time of the last good sync (ISO); the provider may round it down. */
  changedSince: string | null;
  /** The only serials a targeted strategy may name: the district's tracked devices, in serial key order. */
  trackedSerialKeys: readonly string[];
  cursor: string | null;
  signal: AbortSignal;
}

export interface SyncCapability {
  /**
   * Provider devices in scope (only those changed since `changedSince`, when given) in one call, or null when
   * unknown. Only asked for when a listing could be cheaper, which `tracked_only` never allows.
   */
  countDevices?(
    deps: ProviderDeps,
    secret: string,
    settings: ProviderSettings,
    changedSince?: string,
  ): Promise<number | null>;
  /** API calls one `countDevices` spends (Jamf Pro counts computers and mobile devices apart); default 1. */
  countCalls?: number;
  /** Whether the provider can list only the devices that changed since a time (an incomplete pass). */
  incremental: boolean;
  /**
   * Obtains what the run's requests will carry (an access token, say) while the engine loads the tracked
   * devices, so the first page does not wait for it. `cached` is what an earlier call returned for the same
   * secret, in any process: still good, it is used instead of asking the provider. Returns the credential to
   * keep for later runs (the engine stores it encrypted), or null. Throws the provider's error for refused
   * credentials.
   */
  authorize?(
    deps: ProviderDeps,
    secret: string,
    settings: ProviderSettings,
    signal: AbortSignal,
    cached: string | null,
  ): Promise<string | null>;
  /** Every strategy the provider has, with its cost for this input; `targeted` ones name only tracked devices. */
  estimates(input: PlanInput): StrategyEstimate[];
  fetchPage(deps: ProviderDeps, request: SyncRequest): Promise<FetchedPage>;
  /**
   * What an exact lookup by serial can miss at this provider, in words for a district administrator: "Intune
   * compares serials exactly, so a device enrolled as 'pf3 abc12' is reported not found".
   */
  lookupNote: string;
}

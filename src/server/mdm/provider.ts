import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { AuthMethod, NormalizedFields, ProviderKey } from '../../common/mdm.ts';
import type { Config } from '../config.ts';
import type { RequestLimiter } from './sync/rate-limit.ts';

/**
 * The plug-in contract every MDM provider implements (types only). A provider never touches the database:
 * it receives settings and its decrypted secret, and returns what the connection stores.
 */
export interface ProviderDeps {
  config: Config;
  log: FastifyBaseLogger;
  /** Paces requests to the provider across every worker (sync runs); absent, requests are not paced. */
  limiter?: RequestLimiter | undefined;
}

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

export interface OAuthCapability {
  scopes: readonly string[];
  /** Why OAuth cannot be used right now (e.g. no client configured), or null. */
  unavailableReason(deps: ProviderDeps): string | null;
  authorizationUrl(
    deps: ProviderDeps,
    request: { state: string; codeChallenge: string; redirectUri: string },
  ): string;
  exchangeCode(
    deps: ProviderDeps,
    request: { code: string; codeVerifier: string; redirectUri: string },
  ): Promise<Authorization>;
  /** Tells the provider the stored authorization is no longer wanted. */
  revoke(deps: ProviderDeps, secret: string): Promise<void>;
}

export interface ServiceAccountCapability {
  /** Validates an uploaded key and returns what to store; throws `Invalid` with a clear reason. */
  acceptKey(key: unknown, impersonatedAdmin: string): Authorization;
  /** One cheap call proving the stored authorization works, before the connection becomes active. */
  testConnection(deps: ProviderDeps, secret: string, settings: Record<string, unknown>): Promise<void>;
}

export interface ProviderDefinition {
  key: ProviderKey;
  name: string;
  description: string;
  /** Path of the setup guide in the repository's docs. */
  guide: string;
  authMethods: readonly AuthMethod[];
  /** The provider's settings with defaults filled in; throws a ZodError for bad values. */
  settings: z.ZodType<Record<string, unknown> & { authMethod: AuthMethod }>;
  oauth?: OAuthCapability;
  serviceAccount?: ServiceAccountCapability;
  sync?: SyncCapability;
  /** Link to the device in the provider's own console. */
  consoleUrl?: (providerDeviceId: string) => string;
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
}

export interface StrategyEstimate {
  strategy: string;
  apiCalls: number;
  /** Whether a completed pass sees every tracked device the provider knows (needed for `not_found`). */
  complete: boolean;
}

export interface PlanInput {
  trackedCount: number;
  /** Provider devices in scope, counted for this run or seen on an earlier one; null when unknown. */
  fleetSize: number | null;
  /** Devices changed since the last good sync, when an incremental pass is allowed and was counted. */
  changed: { since: string; count: number } | null;
}

export interface SyncRequest {
  secret: string;
  settings: Record<string, unknown>;
  strategy: string;
  /** For an incremental strategy: the time of the last good sync (ISO); the provider may round it down. */
  changedSince: string | null;
  /** The only serials a targeted strategy may name: the district's tracked devices. */
  trackedSerialKeys: readonly string[];
  cursor: string | null;
  signal: AbortSignal;
}

export interface SyncCapability {
  /** Provider devices in scope (only those changed since `changedSince`, when given) in one call, or null when unknown. */
  countDevices(
    deps: ProviderDeps,
    secret: string,
    settings: Record<string, unknown>,
    changedSince?: string,
  ): Promise<number | null>;
  /** Whether the provider can list only the devices that changed since a time (an incomplete pass). */
  incremental: boolean;
  /** Requests per minute all districts together may send the provider (one quota for Satchel's client). */
  quotaPerMinute(config: Config): number;
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
    signal: AbortSignal,
    cached: string | null,
  ): Promise<string | null>;
  estimates(input: PlanInput): StrategyEstimate[];
  fetchPage(deps: ProviderDeps, request: SyncRequest): Promise<FetchedPage>;
}

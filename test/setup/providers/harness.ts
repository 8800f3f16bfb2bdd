import type { NormalizedFields, ProviderKey } from '../../../src/common/mdm.ts';
import type { Session } from '../factories.ts';

/**
 * What the provider behaviour suite needs of each provider's fake: written once per provider (one file here and
 * a line in `index.ts`), so the suite runs unchanged against every provider Satchel knows.
 */
export interface ProviderHarness {
  key: ProviderKey;
  /** How many tracked devices make a targeted pass (`tracked_only`) of at least three pages. */
  multiPageTracked: number;
  start(): Promise<ProviderFake>;
}

/** One API request the fake answered, as the suite judges it. */
export interface ProviderRequest {
  /** Reads devices without naming them by serial: a listing (or a listing used as a count). */
  listing: boolean;
  /** Serial numbers the request named, as sent. */
  serials: string[];
  operation: string;
  status: number;
}

/**
 * The device API requests of a fake whose log says of each request whether it listed and which serials it named
 * (the Jamf fakes'), as the suite judges them.
 */
export function apiRequestsOf(
  entries: readonly {
    kind: string;
    listing: boolean;
    serials: string[];
    operation: string;
    status: number;
  }[],
): ProviderRequest[] {
  return entries
    .filter((entry) => entry.kind === 'api')
    .map(({ listing, serials, operation, status }) => ({ listing, serials, operation, status }));
}

export interface ProviderFake {
  /** The environment that points Satchel at the fake. */
  environment: Record<string, string>;
  /**
   * A tenant (a Google customer, an Entra tenant, a Jamf instance) for one district, holding `serials` (stored
   * as given) plus `junk` devices only the provider knows and an older re-enrolled duplicate of each of
   * `duplicatesOf`.
   */
  addTenant(fleet: {
    serials: string[];
    junk: number;
    duplicatesOf: string[];
    seed: number;
  }): Promise<FakeTenant>;
  mark(): number;
  /** The device API requests answered since the mark (inner batch requests each, the batch envelope not). */
  requestsSince(mark: number): ProviderRequest[];
  /** The next `n` device API requests fail with `status`; a 429 says Retry-After `retryAfter` s (null: none). */
  failNext(n: number, status: number, options?: { retryAfter?: number | null }): void;
  /** The next device API answer is broken (truncated JSON). */
  malformedNext(): void;
  resetFaults(): void;
  /** Least time each answer takes. */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export interface FakeTenant {
  /** Settings to activate the provider with, besides the request scope: where the tenant is. */
  settings: Record<string, unknown>;
  /** Authorizes the activated connection as an administrator would (consent page or credentials). */
  authorize(session: Session): Promise<void>;
  /** The stored authorization stops working at the provider (consent revoked, API client deleted). */
  revoke(): void;
  /** The provider forgets a device. */
  remove(serialKey: string): void;
  /** A few normalized fields Satchel should store for a serial, from what the provider holds. */
  expectedFields(serialKey: string): Partial<NormalizedFields> | null;
}

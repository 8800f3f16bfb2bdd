/**
 * How a provider's requests are paced, shared by the provider clients (which ask for turns) and the sync engine
 * (which builds the limiter a run uses). Types only: the shared implementations live with the engine.
 */

/** Said once a request's answer is in (or it failed): its turn is over. */
export type ReleaseTurn = () => void;

/** Paces a provider's requests; shared by every process that syncs with that provider. */
export interface RequestLimiter {
  /**
   * Resolves when one more request may go out. `cost` is how many of the provider's units it spends (Graph
   * counts every request inside a `$batch`); the returned function ends the request's turn.
   */
  acquire(signal: AbortSignal, cost?: number): Promise<ReleaseTurn>;
  /** The provider said "too many requests": nobody sends it anything for `ms`. */
  slowDown(ms: number): Promise<void>;
}

/**
 * The unit a provider's limits apply to, as the provider declares it; the engine enforces it across every
 * worker process.
 * - `shared_quota`: one budget for every district together (Google's quota belongs to Satchel's Cloud project).
 * - `per_tenant`: one budget per district's tenant (Graph throttles each app per tenant).
 * - `concurrency`: no rate, but at most `max` requests in flight per instance (Jamf asks for five).
 */
export type RateLimitUnit<Config = unknown> =
  | { kind: 'shared_quota'; perMinute: (config: Config) => number }
  | {
      kind: 'per_tenant';
      perMinute: (config: Config) => number;
      tenant: (settings: Record<string, unknown>) => string;
    }
  | { kind: 'concurrency'; max: number; instance: (settings: Record<string, unknown>) => string };

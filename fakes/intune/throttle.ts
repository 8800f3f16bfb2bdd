/**
 * Intune's devices-service limits (microsoft-graph-docs-contrib `includes/throttling-intune-devices.md`):
 * 2,000 requests per 20 s per app per tenant and 4,000 per 20 s per tenant, counted over a sliding window.
 * Every request Graph hands to Intune counts, each inner request of a `$batch` too; refused ones do not.
 */
import type { ThrottleSettings } from './types.ts';

export const DEFAULT_THROTTLE: Required<ThrottleSettings> = {
  perAppLimit: 2000,
  perTenantLimit: 4000,
  windowMs: 20_000,
  retryAfter: true,
  code: 'TooManyRequests',
};

/** Request times in one window, oldest first; old ones are dropped from the front without moving the rest. */
class Window {
  private times: number[] = [];
  private head = 0;

  count(now: number, windowMs: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  oldest(): number | undefined {
    return this.times[this.head];
  }

  add(now: number): void {
    this.times.push(now);
  }
}

export class Throttle {
  settings: Required<ThrottleSettings>;
  private readonly windows = new Map<string, Window>();

  constructor(settings: ThrottleSettings = {}) {
    this.settings = { ...DEFAULT_THROTTLE, ...settings };
  }

  configure(settings: ThrottleSettings): void {
    this.settings = { ...this.settings, ...settings };
    this.windows.clear();
  }

  reset(): void {
    this.windows.clear();
  }

  /** Counts the request, or returns the seconds until a place frees up when a limit is reached. */
  take(
    tenantId: string,
    clientId: string,
    now: number,
  ): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const { perAppLimit, perTenantLimit, windowMs } = this.settings;
    const app = this.window(`${tenantId}|${clientId}`);
    const tenant = this.window(tenantId);
    const full = [
      app.count(now, windowMs) >= perAppLimit ? app : undefined,
      tenant.count(now, windowMs) >= perTenantLimit ? tenant : undefined,
    ].filter((window) => window !== undefined);
    if (full.length) {
      const freesAt = Math.max(...full.map((window) => (window.oldest() ?? now) + windowMs));
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now) / 1000)) };
    }
    app.add(now);
    tenant.add(now);
    return { allowed: true };
  }

  private window(key: string): Window {
    let window = this.windows.get(key);
    if (!window) {
      window = new Window();
      this.windows.set(key, window);
    }
    return window;
  }
}

/**
 * Jamf School publishes no rate limit. When the fake is given one, each instance may make that many API
 * requests in any 60 seconds of the fake clock; a refused request is not counted.
 */
export class RateLimiter {
  perMinute: number | undefined;
  private readonly windows = new Map<string, number[]>();

  constructor(perMinute: number | undefined) {
    this.perMinute = perMinute;
  }

  /** Counts a request at `now`; past the limit, answers the seconds until one may be made instead. */
  charge(key: string, now: number): number | undefined {
    if (!this.perMinute || this.perMinute <= 0) return undefined;
    const window = (this.windows.get(key) ?? []).filter((t) => t > now - 60_000);
    this.windows.set(key, window);
    if (window.length >= this.perMinute) return Math.max(1, Math.ceil((window[0]! + 60_000 - now) / 1000));
    window.push(now);
    return undefined;
  }

  reset(): void {
    this.windows.clear();
  }
}

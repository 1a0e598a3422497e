/** What a rate window answers: go on, or wait this many seconds. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts events per key in fixed windows of `windowMs` that start at a key's first event, allowing `limit` per
 * window (0: no limit). A refused event is not counted. Pure apart from its own map: `now` is an argument. Keys
 * whose window has ended are dropped as the map grows, so it holds at most the keys active in one window.
 */
export class RateWindow {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  hit(key: string, now: Date): RateDecision {
    if (this.limit <= 0) return { allowed: true };
    const at = now.getTime();
    if (this.windows.size >= 10_000) this.prune(at);
    const current = this.windows.get(key);
    if (!current || at - current.start >= this.windowMs || at < current.start) {
      this.windows.set(key, { start: at, count: 1 });
      return { allowed: true };
    }
    if (current.count >= this.limit) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((current.start + this.windowMs - at) / 1000)),
      };
    }
    current.count += 1;
    return { allowed: true };
  }

  /** How many keys are held (for tests). */
  get size(): number {
    return this.windows.size;
  }

  private prune(at: number): void {
    for (const [key, w] of this.windows) if (at - w.start >= this.windowMs) this.windows.delete(key);
  }
}

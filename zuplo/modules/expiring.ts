/**
 * Entries kept for a time, at most `max` of them, in this gateway instance's memory (what pins, delivered sync
 * summaries and failed authentications need). An entry past its time reads as absent. Every write re-inserts the
 * entry last, so the map stays in expiry order when every entry lives as long (`ttlMs`): the oldest come first, and
 * pruning drops the expired ones and, over `max`, the oldest.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(ttlMs: number, max: number, now: () => number = Date.now) {
    this.ttlMs = ttlMs;
    this.max = max;
    this.now = now;
  }

  /** The entry's value and until when (epoch ms) it holds, if it does. */
  entry(key: string): { value: V; until: number } | undefined {
    const entry = this.entries.get(key);
    return entry && entry.until > this.now() ? entry : undefined;
  }

  get(key: string): V | undefined {
    return this.entry(key)?.value;
  }

  /** Sets the value for `ttlMs` from now, or until `until` (an entry that keeps its first expiry). */
  set(key: string, value: V, until?: number): void {
    const now = this.now();
    this.entries.delete(key);
    this.entries.set(key, { value, until: until ?? now + this.ttlMs });
    for (const [old, entry] of this.entries) {
      if (entry.until > now && this.entries.size <= this.max) break;
      this.entries.delete(old);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * Entries kept for a time, at most `max` of them, in this gateway instance's memory (what pins, delivered sync
 * summaries and failed authentications need). An entry past its time reads as absent. Every entry lives `ttlMs` from
 * its `set`, which puts it last, and `update` leaves it where it is: the map stays in expiry order, the oldest first,
 * and pruning drops the expired ones and, over `max`, the oldest.
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

  /** Sets the value for `ttlMs` from now; the entry goes last in the order. */
  set(key: string, value: V): void {
    const now = this.now();
    this.entries.delete(key);
    this.entries.set(key, { value, until: now + this.ttlMs });
    for (const [old, entry] of this.entries) {
      if (entry.until > now && this.entries.size <= this.max) break;
      this.entries.delete(old);
    }
  }

  /**
   * Changes a live entry's value in place: it keeps its expiry and its place in the order (a count in a window that
   * runs from its first entry). False when there is no live entry: `set` one.
   */
  update(key: string, change: (value: V) => V): boolean {
    const entry = this.entry(key);
    if (!entry) return false;
    entry.value = change(entry.value);
    return true;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

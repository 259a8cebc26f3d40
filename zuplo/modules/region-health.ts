// Which regions answer, as this gateway instance has seen them (forward() in failover.ts keeps it up to date).

/**
 * Remembers for `ttlMs` which regions failed, so callers do not wait on a region that is down; and which regions are
 * known to answer. A region not yet confirmed (never used, or its failure has expired) is probed before an event is
 * sent to it (ForwardOptions.probes): the Workers runtime reports a refused connection and one cut after the request
 * was sent alike ("Network connection lost."), so a dead region found by sending an event leaves that event unsure.
 */
export class RegionHealth {
  private readonly downUntil = new Map<string, number>();
  private readonly confirmed = new Set<string>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.ttlMs = ttlMs;
    this.now = now;
  }

  healthy(region: string): boolean {
    const until = this.downUntil.get(region);
    return until === undefined || until <= this.now();
  }

  /** Whether the region has answered since it last failed (or since this gateway started). */
  confirmedUp(region: string): boolean {
    return this.confirmed.has(region);
  }

  failed(region: string): void {
    this.downUntil.set(region, this.now() + this.ttlMs);
    this.confirmed.delete(region);
  }

  succeeded(region: string): void {
    this.downUntil.delete(region);
    this.confirmed.add(region);
  }
}

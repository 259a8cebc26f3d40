import type { CloudEvent } from "./cloudevents";

/**
 * Events a region may hold without having said so (modules/failover.ts: the connection was cut after the event was
 * sent, or no answer came in time). For `ttlMs` a resend of the same event (source and id, what validate
 * de-duplicates on) goes to that region only: it counts an id once, while a second region would count it again.
 * Kept in this gateway instance's memory, at most `max` events (the oldest are forgotten first); a resend that comes
 * later than `ttlMs`, or to another instance, may go to another region (docs/reliability.md).
 */
export class Pins {
  private readonly pinned = new Map<string, { region: string; until: number }>();

  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(ttlMs: number, max: number, now: () => number = Date.now) {
    this.ttlMs = ttlMs;
    this.max = max;
    this.now = now;
  }

  /** The region this event is pinned to and until when (epoch ms), if it is. */
  get(event: CloudEvent): { region: string; until: number } | undefined {
    const pin = this.pinned.get(key(event));
    return pin && pin.until > this.now() ? pin : undefined;
  }

  pin(event: CloudEvent, region: string): void {
    const now = this.now();
    const k = key(event);
    this.pinned.delete(k); // re-inserted last: the map stays in expiry order
    this.pinned.set(k, { region, until: now + this.ttlMs });
    for (const [old, pin] of this.pinned) {
      if (pin.until > now && this.pinned.size <= this.max) break;
      this.pinned.delete(old);
    }
  }

  /** The region answered: the event is taken (or refused for good), a resend may go anywhere again. */
  release(event: CloudEvent): void {
    this.pinned.delete(key(event));
  }
}

function key(event: CloudEvent): string {
  return JSON.stringify([event.source, event.id]);
}

import type { CloudEvent } from "./cloudevents";
import { ExpiringMap } from "./expiring.ts";

/**
 * Events a region may hold without having said so (modules/failover.ts: the connection was cut after the event was
 * sent, or no answer came in time). For `ttlMs` a resend of the same event (source and id, what validate
 * de-duplicates on) goes to that region only: it counts an id once, while a second region would count it again.
 * Kept in this gateway instance's memory, at most `max` events (the oldest are forgotten first); a resend that comes
 * later than `ttlMs`, or to another instance, may go to another region (docs/reliability.md).
 */
export class Pins {
  private readonly pinned: ExpiringMap<string>;

  constructor(ttlMs: number, max: number, now: () => number = Date.now) {
    this.pinned = new ExpiringMap<string>(ttlMs, max, now);
  }

  /** The region this event is pinned to and until when (epoch ms), if it is. */
  get(event: CloudEvent): { region: string; until: number } | undefined {
    const pin = this.pinned.entry(key(event));
    return pin && { region: pin.value, until: pin.until };
  }

  pin(event: CloudEvent, region: string): void {
    this.pinned.set(key(event), region);
  }

  /** The region answered: the event is taken (or refused for good), a resend may go anywhere again. */
  release(event: CloudEvent): void {
    this.pinned.delete(key(event));
  }
}

function key(event: CloudEvent): string {
  return JSON.stringify([event.source, event.id]);
}

import { environment, ZuploContext } from "@zuplo/runtime";
import { ExpiringMap } from "./expiring.ts";
import { problem } from "./problem";

/**
 * Failed authentications per client address (the one Zuplo reports: `context.incomingRequestProperties.ip`). After
 * AUTH_FAILURES_PER_MINUTE of them (default 20) within a minute of the first, every request from that address that
 * needs a credential is answered 429 until that minute is over, with a valid credential too: someone guessing keys
 * learns nothing from a hit. Kept in this gateway instance's memory for at most 100,000 addresses; a caller whose
 * address is unknown is not counted (one shared identity would lock every such caller out). docs/security.md.
 */
const WINDOW_MS = 60_000;
const DEFAULT_LIMIT = 20;
const failures = new ExpiringMap<number>(WINDOW_MS, 100_000);

function limit(): number {
  const configured = Number(environment.AUTH_FAILURES_PER_MINUTE ?? DEFAULT_LIMIT);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_LIMIT;
}

function address(context: ZuploContext): string | undefined {
  return context.incomingRequestProperties?.ip || undefined;
}

/** The 429 problem for a caller whose address failed too often this minute; undefined for any other. */
export function lockedOut(context: ZuploContext): Response | undefined {
  const caller = address(context);
  const entry = caller === undefined ? undefined : failures.entry(caller);
  if (!entry || entry.value < limit()) return undefined;
  const seconds = Math.max(1, Math.ceil((entry.until - Date.now()) / 1000));
  return problem(429, "too-many-failed-authentications", "Too many failed authentications",
    `${entry.value} requests from this address failed to authenticate within a minute (at most ${limit()}); try again in ${seconds} s`,
    { "retry-after": String(seconds) });
}

/** Counts a failed authentication against the caller's address; answers `refusal`, the 401 to send. */
export function failed(context: ZuploContext, refusal: Response): Response {
  const caller = address(context);
  if (caller !== undefined) {
    if (!failures.update(caller, count => count + 1)) failures.set(caller, 1); // the window runs from the first failure
  }
  return refusal;
}

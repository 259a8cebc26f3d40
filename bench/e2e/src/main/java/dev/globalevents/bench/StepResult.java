package dev.globalevents.bench;

import java.util.Map;

/**
 * One step's figures. Client side: asked and achieved rate (accepted per second of sending), events sent, accepted
 * (2xx) and counted (found in aggregate's read-back), answers by status, end-to-end latency (due → counted) p50/p99
 * and answer latency (due → 2xx) p50/p99 in ms. Aggregate's side: events in the step's windows and its end-to-end
 * and transit (validated → counted) percentiles. Backlog: accepted but not yet counted when the sending ended, and the
 * broker's consumer lag then.
 */
record StepResult(String path, int regions, double asked, double achieved, long sent, long accepted, long counted,
		Map<Integer, Long> statuses, double e2eP50, double e2eP99, double ackP50, double ackP99, long windowCount,
		double aggregateE2eP50, double aggregateE2eP99, double transitP99, long backlogAtStop, long lagAtStop) {

	/** Kept up: nearly every event accepted at nearly the asked rate, all counted, p99 under a second, no backlog building. */
	boolean sustained() {
		return achieved >= 0.95 * asked && accepted >= 0.999 * sent && counted == accepted && e2eP99 <= 1000
				&& backlogAtStop <= Math.max(50, asked / 2);
	}

	static String header() {
		return String.format("%-8s %7s %9s %8s %7s %17s %15s %19s %11s %9s %5s %s", "path", "asked/s", "achieved", "accepted",
				"counted", "e2e p50/p99 ms", "2xx p50/p99 ms", "agg e2e p50/p99 ms", "transit p99", "backlog", "lag", "kept up");
	}

	String row() {
		return String.format("%-8s %7.0f %9.0f %8d %7d %8.0f / %-6.0f %6.1f / %-6.1f %8.1f / %-8.1f %11.1f %9d %5d %s", path, asked, achieved,
				accepted, counted, e2eP50, e2eP99, ackP50, ackP99, aggregateE2eP50, aggregateE2eP99, transitP99, backlogAtStop, lagAtStop,
				sustained() ? "yes" : "no" + (statuses.size() > 1 || !statuses.containsKey(202) ? " " + statuses : ""));
	}
}

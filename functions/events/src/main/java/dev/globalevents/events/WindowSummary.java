package dev.globalevents.events;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A closed window of one region, as that region publishes it to its peers ({@code dev.globalevents.sync.summary},
 * described by {@code schemas/summary.schema.json}). It carries everything needed to merge regions exactly: counts,
 * error counts, latency sums and the sparse buckets of the mergeable {@link LatencyHistogram}s, per event type.
 * {@code closedAt} versions the summary: a peer keeps, per origin region and window, the summary with the latest
 * {@code closedAt} (a window re-closed after a replay rebuilt it supersedes the earlier one), so re-delivered,
 * re-ordered or replayed summaries change nothing.
 *
 * @param region   the origin region
 * @param window   the event-time window [start, end)
 * @param closedAt when the origin closed the window, ISO 8601 UTC
 * @param types    per event type
 */
public record WindowSummary(String region, Metrics.Window window, @JsonProperty("closed_at") String closedAt,
		Map<String, TypeSummary> types) {

	/**
	 * Figures of one event type in the window.
	 *
	 * @param count        events counted
	 * @param errors       of which errors
	 * @param e2eMicrosSum sum of end-to-end latencies, microseconds (for the mean)
	 * @param e2e          end-to-end latency histogram: bucket index to count
	 * @param transit      validate-to-aggregate (processing) latency histogram: bucket index to count
	 * @param transitMicrosSum sum of the processing latencies counted in {@code transit}, microseconds (for the
	 *                     mean); 0 from a peer that predates it
	 */
	public record TypeSummary(long count, long errors, @JsonProperty("e2e_micros_sum") long e2eMicrosSum,
			Map<Integer, Long> e2e, Map<Integer, Long> transit, @JsonProperty("transit_micros_sum") Long transitMicrosSum) {

		public TypeSummary {
			transitMicrosSum = transitMicrosSum == null ? 0L : transitMicrosSum;
		}
	}
}

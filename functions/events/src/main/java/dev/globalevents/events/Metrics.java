package dev.globalevents.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A metrics sample or closed aggregation window: the seed's Metrics data model, described by
 * {@code schemas/metrics.schema.json}. Three optional additions to the seed, omitted from the JSON when null:
 * {@code window} (the event-time window a window's metrics cover), {@code latency} (end-to-end latency percentiles
 * from the mergeable histogram) and {@code types} (a window's figures per event type, sorted by type).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metrics(String timestamp, String region, Values metrics, Tags tags, Window window, Latency latency,
		List<TypeMetrics> types) {

	public Metrics {
		types = types == null ? null : List.copyOf(types);
	}

	public Metrics(String timestamp, String region, Values metrics, Tags tags) {
		this(timestamp, region, metrics, tags, null, null, null);
	}

	public Metrics(String timestamp, String region, Values metrics, Tags tags, Window window, Latency latency) {
		this(timestamp, region, metrics, tags, window, latency, null);
	}

	/** The measured values; field names follow the seed model (snake case on the wire). */
	public record Values(
			@JsonProperty("event_count") long eventCount,
			@JsonProperty("processing_time") double processingTime,
			@JsonProperty("error_rate") double errorRate,
			@JsonProperty("queue_depth") long queueDepth,
			@JsonProperty("memory_usage") double memoryUsage,
			@JsonProperty("cpu_usage") double cpuUsage) {
	}

	/** Who reported the values. */
	public record Tags(String environment, String service, String version) {
	}

	/** The event-time window [start, end) the values cover, ISO 8601 UTC. */
	public record Window(String start, String end) {
	}

	/** End-to-end latency percentiles in ms (upper bounds of histogram buckets). */
	public record Latency(double p50, double p95, double p99) {
	}

	/**
	 * The figures of one event type in a window (an entry of {@code types}).
	 *
	 * @param eventType      the events' own type ({@code order.created}), never empty
	 * @param eventCount     events of that type counted in the window
	 * @param errorRate      share of them that were errors, 0 to 1
	 * @param processingTime mean processing latency (validated to counted) in ms
	 * @param latency        end-to-end latency percentiles in ms
	 */
	public record TypeMetrics(
			@JsonProperty("event_type") String eventType,
			@JsonProperty("event_count") long eventCount,
			@JsonProperty("error_rate") double errorRate,
			@JsonProperty("processing_time") double processingTime,
			Latency latency) {
	}
}

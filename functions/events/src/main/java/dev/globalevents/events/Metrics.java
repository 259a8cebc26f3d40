package dev.globalevents.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A metrics sample or closed aggregation window: the seed's Metrics data model, described by
 * {@code schemas/metrics.schema.json}. Two optional additions to the seed: {@code window} (the event-time window a
 * window's metrics cover) and {@code latency} (end-to-end latency percentiles from the mergeable histogram).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metrics(String timestamp, String region, Values metrics, Tags tags, Window window, Latency latency) {

	public Metrics(String timestamp, String region, Values metrics, Tags tags) {
		this(timestamp, region, metrics, tags, null, null);
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
}

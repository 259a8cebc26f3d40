package dev.globalevents.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A metrics sample or closed aggregation window: the seed's Metrics data model, described by
 * {@code schemas/metrics.schema.json}.
 */
public record Metrics(String timestamp, String region, Values metrics, Tags tags) {

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
}

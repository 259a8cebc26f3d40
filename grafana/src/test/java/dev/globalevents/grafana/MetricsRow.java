package dev.globalevents.grafana;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code globalevents.metrics} as export-metrics writes it (functions/export-metrics, MetricsRows): a
 * function instance's sample or a region's closed window. Mutable, so a scenario can bend what a healthy pipeline
 * would have written.
 */
final class MetricsRow {

	private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

	final Instant timestamp;
	final String region;
	final String service;
	final String kind;
	long eventCount;
	double processingTime;
	double errorRate;
	long queueDepth;
	double memoryUsage;
	double cpuUsage;
	Instant windowStart;
	Instant windowEnd;
	Double latencyP50;
	Double latencyP95;
	Double latencyP99;
	/** '' for totals and samples; a window's per-type rows carry their type. */
	String eventType = "";
	final String source;
	final String id;

	private MetricsRow(Instant timestamp, String region, String service, String kind, String source, String id) {
		this.timestamp = timestamp;
		this.region = region;
		this.service = service;
		this.kind = kind;
		this.source = source;
		this.id = id;
	}

	/** A function instance's self-report for the interval ending at {@code at} (MetricsReporter). */
	static MetricsRow sample(Instant at, String region, String service, String instance, long sequence) {
		return new MetricsRow(at, region, service, "sample", "/" + service + "/" + region + "/" + instance,
				"sample-" + instance + "-" + sequence + "-" + at.toEpochMilli());
	}

	/** A region's closed 10 s window starting at {@code start}, closed at {@code closedAt} (aggregate's WindowEmitter). */
	static MetricsRow window(Instant start, Instant closedAt, String region) {
		MetricsRow row = new MetricsRow(start, region, "aggregate", "window", "/aggregate/" + region,
				"window-" + start.toEpochMilli() + "-" + closedAt.toEpochMilli());
		row.windowStart = start;
		row.windowEnd = start.plusSeconds(10);
		return row;
	}

	/** One event type's row of this window (export-metrics writes one per entry of the window's types). */
	MetricsRow type(String type, long count) {
		MetricsRow row = new MetricsRow(timestamp, region, service, kind, source, id + "/" + type);
		row.eventType = type;
		row.eventCount = count;
		row.errorRate = errorRate;
		row.processingTime = processingTime;
		row.queueDepth = queueDepth;
		row.memoryUsage = memoryUsage;
		row.cpuUsage = cpuUsage;
		row.windowStart = windowStart;
		row.windowEnd = windowEnd;
		row.latencyP50 = latencyP50;
		row.latencyP95 = latencyP95;
		row.latencyP99 = latencyP99;
		return row;
	}

	boolean sample(String service) {
		return kind.equals("sample") && this.service.equals(service);
	}

	boolean window() {
		return kind.equals("window");
	}

	/** The row as export-metrics sends it to ClickHouse (JSONEachRow; DateTime in UTC). */
	Map<String, Object> json() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("timestamp", DATE_TIME.format(timestamp));
		json.put("region", region);
		json.put("event_count", eventCount);
		json.put("processing_time", processingTime);
		json.put("error_rate", errorRate);
		json.put("queue_depth", queueDepth);
		json.put("memory_usage", memoryUsage);
		json.put("cpu_usage", cpuUsage);
		json.put("window_start", windowStart == null ? null : DATE_TIME.format(windowStart));
		json.put("window_end", windowEnd == null ? null : DATE_TIME.format(windowEnd));
		json.put("latency_p50", latencyP50);
		json.put("latency_p95", latencyP95);
		json.put("latency_p99", latencyP99);
		json.put("environment", "test");
		json.put("service", service);
		json.put("version", "0.1.0");
		json.put("event_type", eventType);
		json.put("kind", kind);
		json.put("source", source);
		json.put("id", id);
		return json;
	}
}

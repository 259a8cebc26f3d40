package dev.globalevents.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * export-metrics' own meters: {@code export_rows_total{result=sent|failed|rejected|spilled}} (spilled rows are
 * counted again as sent when drained), {@code export_retries_total}, {@code export_batch_seconds} (time to deliver a
 * batch); the spill backlog is {@code export_spill_backlog} (registered by the app).
 */
final class ExportMetrics {

	private final Counter sent;
	private final Counter failed;
	private final Counter rejected;
	private final Counter spilled;
	private final Counter retries;
	private final Timer batch;

	ExportMetrics(MeterRegistry registry) {
		this.sent = rows(registry, "sent");
		this.failed = rows(registry, "failed");
		this.rejected = rows(registry, "rejected");
		this.spilled = rows(registry, "spilled");
		this.retries = Counter.builder("export.retries").register(registry);
		this.batch = Timer.builder("export.batch").register(registry);
	}

	private static Counter rows(MeterRegistry registry, String result) {
		return Counter.builder("export.rows").tag("result", result).register(registry);
	}

	private volatile long lastDelivered;
	private volatile long lastFailed;
	private volatile String lastError;

	long lastDelivered() {
		return lastDelivered;
	}

	long lastFailed() {
		return lastFailed;
	}

	String lastError() {
		return lastError;
	}

	void sent(int n, long nanos) {
		lastDelivered = System.currentTimeMillis();
		sent.increment(n);
		batch.record(java.time.Duration.ofNanos(nanos));
	}

	void storeFailed(String error) {
		lastFailed = System.currentTimeMillis();
		lastError = error;
	}

	void failed(int n) {
		failed.increment(n);
	}

	void rejected(int n) {
		rejected.increment(n);
	}

	void spilled(int n) {
		spilled.increment(n);
	}

	void retried() {
		retries.increment();
	}
}

package dev.globalevents.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * export-metrics' own meters: {@code export_rows_total{result=sent|failed|rejected}}, {@code export_retries_total},
 * {@code export_batch_seconds} (time to deliver a batch).
 */
final class ExportMetrics {

	private final Counter sent;
	private final Counter failed;
	private final Counter rejected;
	private final Counter retries;
	private final Timer batch;

	ExportMetrics(MeterRegistry registry) {
		this.sent = rows(registry, "sent");
		this.failed = rows(registry, "failed");
		this.rejected = rows(registry, "rejected");
		this.retries = Counter.builder("export.retries").register(registry);
		this.batch = Timer.builder("export.batch").register(registry);
	}

	private static Counter rows(MeterRegistry registry, String result) {
		return Counter.builder("export.rows").tag("result", result).register(registry);
	}

	void sent(int n, long nanos) {
		sent.increment(n);
		batch.record(java.time.Duration.ofNanos(nanos));
	}

	void failed(int n) {
		failed.increment(n);
	}

	void rejected(int n) {
		rejected.increment(n);
	}

	void retried() {
		retries.increment();
	}
}

package dev.globalevents.canary;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/** Where the analysis reads what a revision did. */
public interface MetricsSource {

	/** What {@code revision} did in the window of length {@code window} that ends at {@code end}. */
	RevisionMetrics read(String revision, Duration window, Instant end) throws IOException;

	/** From Prometheus, with {@code queries}: no requests when nothing matched, no latency when there were no buckets. */
	static MetricsSource prometheus(PrometheusClient prometheus, MetricQueries queries) {
		return (revision, window, end) -> new RevisionMetrics(
				prometheus.query(queries.requests(revision, window), end).orElse(0),
				prometheus.query(queries.errors(revision, window), end).orElse(0),
				prometheus.query(queries.p99(revision, window), end).orElse(Double.NaN));
	}
}

package dev.globalevents.export;

import java.time.Instant;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health} component {@code store}: which store, whether it is taking rows ({@code delivering}) or
 * rows are being spilled ({@code spilling}, with the backlog), and the last delivery and failure. Always UP: a
 * store that is down must not take this function out of service, since it keeps accepting rows into the spill.
 */
final class StoreHealth implements HealthIndicator {

	private final RowSink sink;
	private final Spill spill;
	private final ExportMetrics metrics;

	StoreHealth(RowSink sink, Spill spill, ExportMetrics metrics) {
		this.sink = sink;
		this.spill = spill;
		this.metrics = metrics;
	}

	@Override
	public Health health() {
		long backlog = spill.backlog().onErrorReturn(-1L).blockOptional(java.time.Duration.ofSeconds(1)).orElse(-1L);
		Health.Builder health = Health.up().withDetail("store", sink.describe())
				.withDetail("state", backlog > 0 ? "spilling" : "delivering")
				.withDetail("spill_backlog", backlog);
		if (metrics.lastDelivered() > 0) {
			health.withDetail("last_delivered", Instant.ofEpochMilli(metrics.lastDelivered()).toString());
		}
		if (metrics.lastFailed() > 0) {
			health.withDetail("last_failed", Instant.ofEpochMilli(metrics.lastFailed()).toString())
					.withDetail("last_error", String.valueOf(metrics.lastError()));
		}
		return health.build();
	}
}

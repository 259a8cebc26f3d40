package dev.globalevents.quarantine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code quarantine_requests_total{outcome=kept|unavailable}} and {@code quarantine_store_seconds}: what the
 * dead-letter sink took. With the store's size as the queue depth they make quarantine's metrics samples, so
 * TrafficPeak sees the quarantine grow.
 */
final class QuarantineMetrics {

	static final String REQUESTS = "quarantine.requests";
	static final String STORE = "quarantine.store";

	private final MeterRegistry registry;
	private final Counter kept;
	private final Counter unavailable;
	private final Timer store;

	QuarantineMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.kept = outcome("kept");
		this.unavailable = outcome("unavailable");
		this.store = Timer.builder(STORE).description("Time to store a dead-lettered request").register(registry);
	}

	private Counter outcome(String outcome) {
		return Counter.builder(REQUESTS).description("Requests the dead-letter sink took, by outcome").tag("outcome", outcome).register(registry);
	}

	Timer.Sample start() {
		return Timer.start(registry);
	}

	void kept(Timer.Sample sample) {
		sample.stop(store);
		kept.increment();
	}

	void unavailable() {
		unavailable.increment();
	}
}

package dev.globalevents.aggregate.emission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code aggregate_windows_total{state=closed|emitted|failed}}. */
public final class EmissionMetrics {

	private final Counter closed;
	private final Counter emitted;
	private final Counter failed;

	public EmissionMetrics(MeterRegistry registry) {
		this.closed = Counter.builder("aggregate.windows").tag("state", "closed").register(registry);
		this.emitted = Counter.builder("aggregate.windows").tag("state", "emitted").register(registry);
		this.failed = Counter.builder("aggregate.windows").tag("state", "failed").register(registry);
	}

	public void closed(int n) {
		closed.increment(n);
	}

	public void emitted() {
		emitted.increment();
	}

	public void failed() {
		failed.increment();
	}
}

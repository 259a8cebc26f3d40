package dev.globalevents.aggregate.sync;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code aggregate_summaries_total{result=merged|unchanged|unavailable}}: window summaries merged into the global view. */
public final class MergeMetrics {

	private final Counter merged;
	private final Counter unchanged;
	private final Counter unavailable;

	public MergeMetrics(MeterRegistry registry) {
		this.merged = Counter.builder("aggregate.summaries").tag("result", "merged").register(registry);
		this.unchanged = Counter.builder("aggregate.summaries").tag("result", "unchanged").register(registry);
		this.unavailable = Counter.builder("aggregate.summaries").tag("result", "unavailable").register(registry);
	}

	public void merged(List<Boolean> changed) {
		changed.forEach(c -> (c ? merged : unchanged).increment());
	}

	public void unavailable(int n) {
		unavailable.increment(n);
	}
}

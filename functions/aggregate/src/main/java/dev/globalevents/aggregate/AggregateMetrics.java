package dev.globalevents.aggregate;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code aggregate_events_total{result=counted|late|duplicate|unavailable}}, {@code aggregate_windows_total{state=
 * closed|emitted|failed}}, {@code aggregate_summaries_total{result=merged|unchanged}} (window summaries merged
 * into the global view) and {@code aggregate_processing_seconds}.
 */
final class AggregateMetrics {

	private final MeterRegistry registry;
	private final Counter counted;
	private final Counter late;
	private final Counter duplicate;
	private final Counter unavailable;
	private final Counter closed;
	private final Counter emitted;
	private final Counter failed;
	private final Counter summariesMerged;
	private final Counter summariesUnchanged;
	private final Timer processing;

	AggregateMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.counted = events("counted");
		this.late = events("late");
		this.duplicate = events("duplicate");
		this.unavailable = events("unavailable");
		this.closed = windows("closed");
		this.emitted = windows("emitted");
		this.failed = windows("failed");
		this.summariesMerged = Counter.builder("aggregate.summaries").tag("result", "merged").register(registry);
		this.summariesUnchanged = Counter.builder("aggregate.summaries").tag("result", "unchanged").register(registry);
		this.processing = Timer.builder("aggregate.processing").publishPercentileHistogram().register(registry);
	}

	private Counter events(String result) {
		return Counter.builder("aggregate.events").tag("result", result).register(registry);
	}

	private Counter windows(String state) {
		return Counter.builder("aggregate.windows").tag("state", state).register(registry);
	}

	void recorded(List<Observation.Result> results) {
		for (Observation.Result result : results) {
			switch (result) {
				case COUNTED -> counted.increment();
				case LATE -> late.increment();
				case DUPLICATE -> duplicate.increment();
			}
		}
	}

	void merged(List<Boolean> changed) {
		changed.forEach(c -> (c ? summariesMerged : summariesUnchanged).increment());
	}

	void unavailable(int n) {
		unavailable.increment(n);
	}

	void closed(int n) {
		closed.increment(n);
	}

	void emitted() {
		emitted.increment();
	}

	void failed() {
		failed.increment();
	}

	Timer.Sample start() {
		return Timer.start(registry);
	}

	void stop(Timer.Sample sample) {
		sample.stop(processing);
	}
}

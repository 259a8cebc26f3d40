package dev.globalevents.aggregate.windows;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** {@code aggregate_events_total{result=counted|late|duplicate|unavailable}} and {@code aggregate_processing_seconds}. */
public final class CountMetrics {

	private final MeterRegistry registry;
	private final Counter counted;
	private final Counter late;
	private final Counter duplicate;
	private final Counter unavailable;
	private final Timer processing;

	public CountMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.counted = events("counted");
		this.late = events("late");
		this.duplicate = events("duplicate");
		this.unavailable = events("unavailable");
		this.processing = Timer.builder("aggregate.processing").publishPercentileHistogram().register(registry);
	}

	private Counter events(String result) {
		return Counter.builder("aggregate.events").tag("result", result).register(registry);
	}

	public void recorded(List<Observation.Result> results) {
		for (Observation.Result result : results) {
			switch (result) {
				case COUNTED -> counted.increment();
				case LATE -> late.increment();
				case DUPLICATE -> duplicate.increment();
			}
		}
	}

	public void unavailable(int n) {
		unavailable.increment(n);
	}

	public Timer.Sample start() {
		return Timer.start(registry);
	}

	public void stop(Timer.Sample sample) {
		sample.stop(processing);
	}
}

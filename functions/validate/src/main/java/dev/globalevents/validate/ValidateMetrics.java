package dev.globalevents.validate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counters of what validate decided ({@code validate_events_total{outcome=accepted|duplicate|rejected|unavailable,
 * reason=...}}) and a timer of processing time ({@code validate_processing_seconds}). Every event is counted once.
 */
public final class ValidateMetrics {

	private final MeterRegistry registry;
	private final Counter accepted;
	private final Counter duplicate;
	private final Counter unavailable;
	private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
	private final Timer processing;

	public ValidateMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.accepted = outcome("accepted", "none");
		this.duplicate = outcome("duplicate", "none");
		this.unavailable = outcome("unavailable", "redis");
		this.processing = Timer.builder("validate.processing").description("Time to decide on one request")
				.publishPercentileHistogram().register(registry);
	}

	private Counter outcome(String outcome, String reason) {
		return Counter.builder("validate.events").description("Events by what validate decided")
				.tag("outcome", outcome).tag("reason", reason).register(registry);
	}

	public void accepted(int n) {
		accepted.increment(n);
	}

	public void duplicate(int n) {
		duplicate.increment(n);
	}

	public void unavailable(int n) {
		unavailable.increment(n);
	}

	public void rejected(String reason, int n) {
		rejected.computeIfAbsent(reason, r -> outcome("rejected", r)).increment(n);
	}

	public Timer.Sample start() {
		return Timer.start(registry);
	}

	public void stop(Timer.Sample sample) {
		sample.stop(processing);
	}
}

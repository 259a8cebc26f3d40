package dev.globalevents.runtime.reporting;

import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Which of a function's own meters make its self-report: a counter of handled events (all tag values), the values
 * of one of its tags that are errors, and a timer of processing time. Read as cumulative totals; the reporter turns
 * them into per-interval figures.
 *
 * @param counter     name of the events counter ({@code validate.events})
 * @param errorTag    tag of that counter that tells the outcome ({@code outcome})
 * @param errorValues its values that are errors ({@code rejected}, {@code unavailable})
 * @param timer       name of the processing timer ({@code validate.processing})
 */
public record MeterReading(String counter, String errorTag, Set<String> errorValues, String timer) {

	/** Cumulative totals at one moment. */
	record Totals(double events, double errors, long timedCount, double timedNanos) {
	}

	Totals read(MeterRegistry registry) {
		double events = 0;
		double errors = 0;
		for (Counter c : registry.find(counter).counters()) {
			events += c.count();
			if (errorValues.contains(c.getId().getTag(errorTag))) {
				errors += c.count();
			}
		}
		long timedCount = 0;
		double timedNanos = 0;
		for (Timer t : registry.find(timer).timers()) {
			timedCount += t.count();
			timedNanos += t.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS);
		}
		return new Totals(events, errors, timedCount, timedNanos);
	}
}

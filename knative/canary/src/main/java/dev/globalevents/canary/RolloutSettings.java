package dev.globalevents.canary;

import java.time.Duration;
import java.util.List;

/**
 * The schedule of a canary rollout.
 *
 * @param steps              the canary's percent at each step, rising; 100 (or the end of the list) is the promotion
 *                           and is not analysed
 * @param interval           how long each step runs before it is analysed; also the window of the queries
 * @param thresholds         when a step passes
 * @param maxHolds           how many more intervals a step may wait for enough data before it counts as failed
 * @param promoteWithoutData whether a step still without enough data after those waits passes (a function that may
 *                           see no traffic at all, e.g. the dead-letter sink) instead of rolling back
 * @param warmup             how long the canary serves its first step before the first interval starts: its first
 *                           requests (a JVM that just started, caches cold) are not judged, as Kayenta's
 *                           "begin canary analysis after" does; zero: judged from the first request
 */
public record RolloutSettings(List<Integer> steps, Duration interval, Thresholds thresholds, int maxHolds, boolean promoteWithoutData,
		Duration warmup) {

	/** Without warm-up. */
	public RolloutSettings(List<Integer> steps, Duration interval, Thresholds thresholds, int maxHolds, boolean promoteWithoutData) {
		this(steps, interval, thresholds, maxHolds, promoteWithoutData, Duration.ZERO);
	}

	public RolloutSettings {
		if (warmup.isNegative()) {
			throw new IllegalArgumentException("the warm-up must not be negative: " + warmup);
		}
		steps = List.copyOf(steps);
		if (steps.isEmpty()) {
			throw new IllegalArgumentException("no steps");
		}
		int previous = 0;
		for (int step : steps) {
			if (step <= previous || step > 100) {
				throw new IllegalArgumentException("steps must rise within 1..100: " + steps);
			}
			previous = step;
		}
		if (interval.isNegative() || interval.toSeconds() < 1) {
			throw new IllegalArgumentException("the interval must be at least a second: " + interval);
		}
		if (maxHolds < 0) {
			throw new IllegalArgumentException("max holds must not be negative: " + maxHolds);
		}
	}
}

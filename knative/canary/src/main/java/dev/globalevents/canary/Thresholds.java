package dev.globalevents.canary;

/**
 * When a canary step passes.
 *
 * @param maxErrorRatioIncrease how far the canary's 5xx ratio may exceed stable's in the same window, as a fraction
 *                              (0.01: one percentage point; stable at 0.5 % lets the canary reach 1.5 %)
 * @param maxP99Ratio           how many times stable's p99 latency the canary's may be (1.5: 50 % slower); 0 turns
 *                              the latency check off
 * @param minRequests           how many requests the canary must have answered in the window to be judged at all
 */
public record Thresholds(double maxErrorRatioIncrease, double maxP99Ratio, long minRequests) {

	public Thresholds {
		if (!(maxErrorRatioIncrease >= 0 && maxErrorRatioIncrease <= 1)) {
			throw new IllegalArgumentException("max error-ratio increase must be a fraction between 0 and 1: " + maxErrorRatioIncrease);
		}
		if (!(maxP99Ratio == 0 || maxP99Ratio >= 1)) {
			throw new IllegalArgumentException("max p99 ratio must be 0 (off) or at least 1: " + maxP99Ratio);
		}
		if (minRequests < 0) {
			throw new IllegalArgumentException("min requests must not be negative: " + minRequests);
		}
	}
}

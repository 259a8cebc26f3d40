package dev.globalevents.canary;

import java.util.Locale;

/**
 * Compares the canary with stable over the same window. In this order: too few canary requests → hold; a 5xx ratio
 * higher than stable's by more than {@link Thresholds#maxErrorRatioIncrease()} → rollback; no canary latency → hold;
 * a p99 more than {@link Thresholds#maxP99Ratio()} times stable's → rollback; else pass. Without stable requests (or
 * latency) in the window, stable counts as 0 % errors and the latency check is skipped.
 */
public final class CanaryJudge {

	/** Thresholds are inclusive; this much over them is still rounding of the division, not a breach. */
	private static final double ROUNDING = 1e-9;

	private CanaryJudge() {
	}

	public static Decision decide(RevisionMetrics stable, RevisionMetrics canary, Thresholds thresholds) {
		if (canary.requests() < thresholds.minRequests()) {
			return Decision.hold(format("the canary answered %.0f requests, fewer than the %d needed to judge it", canary.requests(),
					thresholds.minRequests()));
		}
		if (canary.requests() == 0) {
			return Decision.pass("no requests to judge (min requests 0)");
		}
		double increase = canary.errorRatio() - stable.errorRatio();
		String errors = format("5xx %.2f %% (stable %.2f %%)", 100 * canary.errorRatio(), 100 * stable.errorRatio());
		if (increase > thresholds.maxErrorRatioIncrease() + ROUNDING) {
			return Decision.rollback(format("%s: %.2f points higher, more than the %.2f allowed", errors, 100 * increase,
					100 * thresholds.maxErrorRatioIncrease()));
		}
		if (thresholds.maxP99Ratio() == 0) {
			return Decision.pass(errors + "; latency not checked");
		}
		if (!canary.hasLatency()) {
			return Decision.hold(errors + "; no p99 latency for the canary (no histogram buckets in the window)");
		}
		if (!stable.hasLatency()) {
			return Decision.pass(errors + format("; p99 %.3f s, stable has none to compare", canary.p99Seconds()));
		}
		double ratio = canary.p99Seconds() / stable.p99Seconds();
		String latency = format("p99 %.3f s (stable %.3f s, x%.2f)", canary.p99Seconds(), stable.p99Seconds(), ratio);
		if (ratio > thresholds.maxP99Ratio() + ROUNDING) {
			return Decision.rollback(format("%s; %s, more than the x%.2f allowed", errors, latency, thresholds.maxP99Ratio()));
		}
		return Decision.pass(errors + "; " + latency);
	}

	private static String format(String format, Object... arguments) {
		return String.format(Locale.ROOT, format, arguments);
	}
}

package dev.globalevents.canary;

/**
 * What one revision did over one analysis window.
 *
 * @param requests   requests it answered (probes and scrapes left out)
 * @param errors     of those, the ones answered with a server error (5xx)
 * @param p99Seconds its 99th percentile latency; {@code NaN} when it has no latency histogram in the window
 */
public record RevisionMetrics(double requests, double errors, double p99Seconds) {

	/** The share of its requests answered with a server error; 0 without requests. */
	public double errorRatio() {
		return requests > 0 ? errors / requests : 0;
	}

	/** Whether the window had a latency to compare. */
	public boolean hasLatency() {
		return !Double.isNaN(p99Seconds) && !Double.isInfinite(p99Seconds) && p99Seconds > 0;
	}
}

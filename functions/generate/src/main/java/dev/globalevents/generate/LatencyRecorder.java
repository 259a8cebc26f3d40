package dev.globalevents.generate;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps every recorded latency (up to 20 million, 160 MB at most; a load test at 2,000 requests/s for an hour
 * records 7.2 million) so percentiles are exact, not estimated.
 */
final class LatencyRecorder {

	private static final int LIMIT = 20_000_000;

	private long[] nanos = new long[1024];
	private int size;
	private long dropped;

	synchronized void record(long value) {
		if (size == LIMIT) {
			dropped++;
			return;
		}
		if (size == nanos.length) {
			nanos = Arrays.copyOf(nanos, Math.min(LIMIT, nanos.length * 2));
		}
		nanos[size++] = value;
	}

	synchronized int count() {
		return size;
	}

	/** count, p50, p95, p99 and max in milliseconds (nearest-rank percentiles). */
	synchronized Map<String, Object> summary() {
		long[] sorted = Arrays.copyOf(nanos, size);
		Arrays.sort(sorted);
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("count", size);
		summary.put("p50", millis(sorted, 0.50));
		summary.put("p95", millis(sorted, 0.95));
		summary.put("p99", millis(sorted, 0.99));
		summary.put("max", sorted.length == 0 ? 0.0 : sorted[sorted.length - 1] / 1e6);
		if (dropped > 0) {
			summary.put("not_recorded", dropped);
		}
		return summary;
	}

	private static double millis(long[] sorted, double q) {
		if (sorted.length == 0) {
			return 0;
		}
		int rank = (int) Math.ceil(q * sorted.length);
		return sorted[Math.max(0, rank - 1)] / 1e6;
	}
}

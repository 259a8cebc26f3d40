package dev.globalevents.events;

import java.util.Arrays;
import java.util.Map;

/**
 * A mergeable latency histogram with fixed log-scale buckets: bucket 0 holds values up to 1 ms, bucket {@code i}
 * holds values in (2^((i-1)/4), 2^(i/4)] ms, so each bucket is about 19% wide and the last one (index
 * {@value #BUCKETS} - 1) holds everything from about 2^24 ms (4.7 h) up. Because the buckets are the same
 * everywhere, histograms from many pods and regions merge by adding counts, and percentiles of the merge are as
 * exact as those of one histogram: a reported percentile is the upper bound of the bucket it falls in.
 */
public final class LatencyHistogram {

	public static final int BUCKETS = 98;

	private final long[] counts;

	public LatencyHistogram() {
		this(new long[BUCKETS]);
	}

	private LatencyHistogram(long[] counts) {
		this.counts = counts;
	}

	/** The bucket of a latency in milliseconds (negative values, from clock skew, count as 0). */
	public static int bucket(double millis) {
		if (!(millis > 1)) {
			return 0;
		}
		int index = (int) Math.ceil(4 * Math.log(millis) / Math.log(2));
		return Math.min(Math.max(index, 1), BUCKETS - 1);
	}

	/** The upper bound of a bucket, in milliseconds. */
	public static double upperBound(int bucket) {
		return bucket == 0 ? 1 : Math.pow(2, bucket / 4.0);
	}

	/** A histogram from sparse bucket counts (bucket index to count), as stored in Redis. */
	public static LatencyHistogram of(Map<Integer, Long> sparse) {
		LatencyHistogram histogram = new LatencyHistogram();
		sparse.forEach((bucket, count) -> histogram.counts[bucket] += count);
		return histogram;
	}

	public void record(double millis) {
		counts[bucket(millis)]++;
	}

	public LatencyHistogram merge(LatencyHistogram other) {
		long[] sum = counts.clone();
		for (int i = 0; i < BUCKETS; i++) {
			sum[i] += other.counts[i];
		}
		return new LatencyHistogram(sum);
	}

	public long count() {
		return Arrays.stream(counts).sum();
	}

	/** The latency under which a share {@code q} (0 to 1) of the values fall, or 0 for an empty histogram. */
	public double percentile(double q) {
		long total = count();
		if (total == 0) {
			return 0;
		}
		long rank = Math.max(1, (long) Math.ceil(q * total));
		long cumulative = 0;
		for (int i = 0; i < BUCKETS; i++) {
			cumulative += counts[i];
			if (cumulative >= rank) {
				return upperBound(i);
			}
		}
		return upperBound(BUCKETS - 1);
	}

	/** Non-zero buckets, bucket index to count. */
	public Map<Integer, Long> sparse() {
		java.util.TreeMap<Integer, Long> sparse = new java.util.TreeMap<>();
		for (int i = 0; i < BUCKETS; i++) {
			if (counts[i] != 0) {
				sparse.put(i, counts[i]);
			}
		}
		return sparse;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof LatencyHistogram other && Arrays.equals(counts, other.counts);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(counts);
	}

	@Override
	public String toString() {
		return "LatencyHistogram" + sparse();
	}
}

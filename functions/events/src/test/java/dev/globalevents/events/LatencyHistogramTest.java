package dev.globalevents.events;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyHistogramTest {

	@ParameterizedTest
	@CsvSource({ "-5, 0", "0, 0", "1, 0", "1.1, 1", "1.18, 1", "1.2, 2", "2, 4", "1000, 40", "1e12, 97" })
	void bucketsAreQuarterPowersOfTwo(double millis, int bucket) {
		assertThat(LatencyHistogram.bucket(millis)).isEqualTo(bucket);
		assertThat(millis).isLessThanOrEqualTo(bucket == LatencyHistogram.BUCKETS - 1 ? Double.MAX_VALUE
				: LatencyHistogram.upperBound(bucket));
	}

	@Test
	void percentilesAreUpperBoundsOfTheBucketOfTheRank() {
		LatencyHistogram histogram = new LatencyHistogram();
		for (int ms = 1; ms <= 100; ms++) {
			histogram.record(ms);
		}

		assertThat(histogram.count()).isEqualTo(100);
		assertThat(histogram.percentile(0.5)).isEqualTo(LatencyHistogram.upperBound(LatencyHistogram.bucket(50)));
		assertThat(histogram.percentile(0.99)).isEqualTo(LatencyHistogram.upperBound(LatencyHistogram.bucket(99)));
		assertThat(histogram.percentile(0.5)).isBetween(50.0, 50 * 1.19);
		assertThat(new LatencyHistogram().percentile(0.99)).isZero();
	}

	@Test
	void mergingPartsInAnyOrderGivesTheHistogramOfTheWhole() {
		Random random = new Random(42);
		List<Double> values = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			values.add(Math.exp(random.nextGaussian() * 2 + 3));
		}
		LatencyHistogram whole = new LatencyHistogram();
		values.forEach(whole::record);
		List<LatencyHistogram> parts = new ArrayList<>();
		for (int p = 0; p < 7; p++) {
			parts.add(new LatencyHistogram());
		}
		for (int i = 0; i < values.size(); i++) {
			parts.get(i % 7).record(values.get(i));
		}
		Collections.shuffle(parts, random);

		LatencyHistogram merged = parts.stream().reduce(new LatencyHistogram(), LatencyHistogram::merge);

		assertThat(merged).isEqualTo(whole);
		assertThat(merged.percentile(0.99)).isEqualTo(whole.percentile(0.99));
		assertThat(LatencyHistogram.of(whole.sparse())).isEqualTo(whole);
	}
}

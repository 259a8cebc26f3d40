package dev.globalevents.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Picks one of several options with probability proportional to its weight. */
final class WeightedChoice<T> {

	private final List<T> options = new ArrayList<>();
	private final double[] cumulative;

	WeightedChoice(Map<T, Double> weights) {
		cumulative = new double[weights.size()];
		double sum = 0;
		int i = 0;
		for (Map.Entry<T, Double> entry : weights.entrySet()) {
			if (entry.getValue() == null || entry.getValue() < 0) {
				throw new IllegalArgumentException("weight of " + entry.getKey() + " must not be negative");
			}
			sum += entry.getValue();
			options.add(entry.getKey());
			cumulative[i++] = sum;
		}
		if (sum <= 0) {
			throw new IllegalArgumentException("weights " + weights + " sum to zero");
		}
	}

	T next(RandomGenerator random) {
		double point = random.nextDouble() * cumulative[cumulative.length - 1];
		for (int i = 0; i < cumulative.length; i++) {
			if (point < cumulative[i]) {
				return options.get(i);
			}
		}
		return options.getLast();
	}
}

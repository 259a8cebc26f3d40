package dev.globalevents.local.serving;

import java.time.Duration;
import java.util.Map;

/**
 * The autoscaling a revision's template declares ({@code autoscaling.knative.dev/*} annotations), with Knative's
 * defaults where one is absent (config-autoscaler: target 100 concurrent requests at 70 %, stable window 60 s).
 *
 * @param minScale          the fewest instances; 0 lets the revision scale to zero
 * @param maxScale          the most instances (0: unbounded, as in Knative)
 * @param concurrency       in-flight requests one instance should carry: {@code target} × {@code target-utilization-percentage}
 * @param window            how long the load must have needed fewer instances before the revision scales down: the
 *                          stable {@code window} (or the stack's override) plus {@code scale-down-delay}
 * @param retention         how long the last instance is kept after that ({@code scale-to-zero-pod-retention-period})
 */
public record Scaling(int minScale, int maxScale, double concurrency, Duration window, Duration retention) {

	static final String PREFIX = "autoscaling.knative.dev/";

	public Scaling {
		if (minScale < 0 || maxScale < 0 || (maxScale > 0 && minScale > maxScale) || !(concurrency > 0)) {
			throw new IllegalArgumentException("min-scale " + minScale + ", max-scale " + maxScale + ", concurrency " + concurrency);
		}
	}

	/** From a revision template's annotations; {@code window}, when given, stands for the annotation's (a local override). */
	public static Scaling of(Map<String, String> annotations, Duration window) {
		int min = Integer.parseInt(annotations.getOrDefault(PREFIX + "min-scale", "0"));
		int max = Integer.parseInt(annotations.getOrDefault(PREFIX + "max-scale", "0"));
		double target = Double.parseDouble(annotations.getOrDefault(PREFIX + "target", "100"));
		double utilization = Double.parseDouble(annotations.getOrDefault(PREFIX + "target-utilization-percentage", "70"));
		Duration stable = window != null ? window : duration(annotations.getOrDefault(PREFIX + "window", "60s"));
		Duration declared = stable.plus(duration(annotations.getOrDefault(PREFIX + "scale-down-delay", "0s")));
		Duration retention = duration(annotations.getOrDefault(PREFIX + "scale-to-zero-pod-retention-period", "0s"));
		return new Scaling(min, max, target * utilization / 100, declared, retention);
	}

	/**
	 * At most {@code capacity} instances, as a cluster cannot schedule more pods than its nodes hold (the rest stay
	 * Pending): the local stack's machine is its cluster ({@code LOCAL_MAX_INSTANCES}).
	 */
	public Scaling capped(int capacity) {
		int max = maxScale == 0 ? capacity : Math.min(maxScale, capacity);
		return new Scaling(Math.min(minScale, max), max, concurrency, window, retention);
	}

	/** Instances wanted for this many requests in flight, between min-scale and max-scale. */
	int wanted(int inFlight) {
		int wanted = (int) Math.ceil(inFlight / concurrency);
		wanted = Math.max(wanted, minScale);
		return maxScale > 0 ? Math.min(wanted, maxScale) : wanted;
	}

	/** Knative's durations: {@code 60s}, {@code 2m}, {@code 1h}. */
	static Duration duration(String text) {
		String value = text.trim();
		char unit = value.charAt(value.length() - 1);
		long amount = Long.parseLong(value.substring(0, value.length() - 1));
		return switch (unit) {
			case 's' -> Duration.ofSeconds(amount);
			case 'm' -> Duration.ofMinutes(amount);
			case 'h' -> Duration.ofHours(amount);
			default -> throw new IllegalArgumentException("a duration such as 60s, 2m or 1h, not " + text);
		};
	}

	Map<String, Object> describe() {
		return Map.of("minScale", minScale, "maxScale", maxScale, "concurrencyPerInstance", concurrency, "window", window.toString(),
				"retention", retention.toString());
	}
}

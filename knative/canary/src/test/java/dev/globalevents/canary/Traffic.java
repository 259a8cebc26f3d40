package dev.globalevents.canary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Synthetic request histograms of a stable and a canary revision, as a function exposes them
 * ({@code http_server_requests_seconds_count} and {@code _bucket} with its tags) and a cluster's scrape labels them
 * (the revision, the namespace), written as OpenMetrics text with timestamps for promtool to backfill. Samples every
 * 15 s; before {@code start} only stable exists and takes every request, from then on the canary takes its
 * scheduled share per interval, the share of the last interval holding afterwards.
 */
final class Traffic {

	static final Duration SCRAPE = Duration.ofSeconds(15);
	static final String[] LE = { "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "+Inf" };
	/** Requests at or under each bound: p99 = 0.075 s (0.05 + 0.05 × (0.99 − 0.985) / 0.01). */
	static final double[] NORMAL = { 0.30, 0.70, 0.95, 0.985, 0.995, 1, 1, 1, 1 };
	/** Five times slower: p99 = 0.375 s. */
	static final double[] SLOW = { 0, 0.05, 0.30, 0.70, 0.95, 0.985, 0.995, 1, 1 };

	/**
	 * One Service's canary.
	 *
	 * @param percents the canary's share in each interval from the start
	 */
	record Scenario(String service, String revisionLabel, String stable, String canary, double requestsPerSecond, double stableErrors,
			double canaryErrors, double[] canaryLatency, List<Integer> percents) {
	}

	private final Instant start;
	private final Duration interval;
	private final StringBuilder text = new StringBuilder();

	Traffic(Instant start, Duration interval) {
		this.start = start;
		this.interval = interval;
	}

	/** Adds the scenario's series from {@code from} to {@code to}. */
	Traffic add(Scenario scenario, Instant from, Instant to) {
		Map<String, Double> counters = new LinkedHashMap<>();
		for (Instant t = from; !t.isAfter(to); t = t.plus(SCRAPE)) {
			Instant previous = t.minus(SCRAPE);
			double share = t.isAfter(start) ? percent(scenario, previous) / 100.0 : 0;
			double seconds = SCRAPE.toSeconds();
			series(counters, scenario, scenario.stable(), t, scenario.requestsPerSecond() * (1 - share) * seconds, scenario.stableErrors(), NORMAL, false);
			if (!t.isBefore(start)) {
				series(counters, scenario, scenario.canary(), t, scenario.requestsPerSecond() * share * seconds, scenario.canaryErrors(),
						scenario.canaryLatency(), true);
			}
		}
		return this;
	}

	String openMetrics() {
		return text + "# EOF\n";
	}

	private int percent(Scenario scenario, Instant t) {
		long index = Duration.between(start, t).toMillis() / interval.toMillis();
		return scenario.percents().get((int) Math.min(index, scenario.percents().size() - 1));
	}

	/**
	 * One revision's samples at {@code t} after {@code requests} more requests: 200s and 500s by the error share, the
	 * latencies by {@code latency}; the canary also answers failing health probes, which the analysis must leave out.
	 */
	private void series(Map<String, Double> counters, Scenario scenario, String revision, Instant t, double requests, double errors, double[] latency,
			boolean probes) {
		String labels = scenario.revisionLabel() + "=\"" + revision + "\",namespace=\"globalevents-us-east\",region=\"us-east\",service=\""
				+ scenario.service() + "\",method=\"POST\",uri=\"/\"";
		histogram(counters, labels + ",status=\"200\",outcome=\"SUCCESS\"", t, requests * (1 - errors), latency);
		histogram(counters, labels + ",status=\"500\",outcome=\"SERVER_ERROR\"", t, requests * errors, latency);
		if (probes) {
			String probe = scenario.revisionLabel() + "=\"" + revision + "\",namespace=\"globalevents-us-east\",region=\"us-east\",service=\""
					+ scenario.service() + "\",method=\"GET\",uri=\"/actuator/health/{*path}\",status=\"503\",outcome=\"SERVER_ERROR\"";
			histogram(counters, probe, t, 2 * SCRAPE.toSeconds(), new double[] { 0, 0, 0, 0, 0, 0, 0, 0, 1 });
		}
	}

	private void histogram(Map<String, Double> counters, String labels, Instant t, double requests, double[] latency) {
		List<String> lines = new ArrayList<>();
		for (int i = 0; i < LE.length; i++) {
			String series = "http_server_requests_seconds_bucket{" + labels + ",le=\"" + LE[i] + "\"}";
			lines.add(sample(series, counters.merge(series, requests * latency[i], Double::sum), t));
		}
		String count = "http_server_requests_seconds_count{" + labels + "}";
		lines.add(sample(count, counters.merge(count, requests, Double::sum), t));
		lines.forEach(line -> text.append(line).append('\n'));
	}

	private static String sample(String series, double value, Instant t) {
		return String.format(Locale.ROOT, "%s %.4f %d", series, value, t.getEpochSecond());
	}
}

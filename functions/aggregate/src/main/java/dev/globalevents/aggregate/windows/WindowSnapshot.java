package dev.globalevents.aggregate.windows;

import java.util.Map;
import java.util.TreeMap;

import java.time.Instant;
import java.util.LinkedHashMap;

import dev.globalevents.events.LatencyHistogram;
import dev.globalevents.events.Metrics;
import dev.globalevents.events.WindowSummary;

/**
 * What one region's window holds: per event type its count, errors, latency histograms and latency sum.
 * {@code closedAt} is when it was closed (epoch ms), 0 while it is open.
 */
public record WindowSnapshot(String region, long start, long end, long closedAt, Map<String, TypeStats> types) {

	public boolean closed() {
		return closedAt > 0;
	}

	/** The summary a region publishes to its peers once this window is closed. */
	public WindowSummary summary() {
		Map<String, WindowSummary.TypeSummary> summaries = new LinkedHashMap<>();
		types.forEach((type, s) -> summaries.put(type, new WindowSummary.TypeSummary(s.count(), s.errors(),
				s.e2eMicrosSum(), s.e2e().sparse(), s.transit().sparse(), s.transitMicrosSum())));
		return new WindowSummary(region, new Metrics.Window(Instant.ofEpochMilli(start).toString(),
				Instant.ofEpochMilli(end).toString()), Instant.ofEpochMilli(closedAt).toString(), summaries);
	}

	/** A peer's (or this region's) published summary, read back for the global view. */
	public static WindowSnapshot of(WindowSummary summary) {
		Map<String, TypeStats> types = new TreeMap<>();
		summary.types().forEach((type, s) -> types.put(type, new TypeStats(s.count(), s.errors(), s.e2eMicrosSum(),
				LatencyHistogram.of(s.e2e()), LatencyHistogram.of(s.transit()), s.transitMicrosSum())));
		return new WindowSnapshot(summary.region(), Instant.parse(summary.window().start()).toEpochMilli(),
				Instant.parse(summary.window().end()).toEpochMilli(), Instant.parse(summary.closedAt()).toEpochMilli(), types);
	}

	/**
	 * Counts and histograms of one event type (or of all types, for {@link #total()}): end-to-end latency (event time
	 * to aggregated) and processing latency (validated to aggregated, "transit"; known for events that carry their
	 * validation time), each as a histogram and a sum for the mean.
	 */
	public record TypeStats(long count, long errors, long e2eMicrosSum, LatencyHistogram e2e, LatencyHistogram transit,
			long transitMicrosSum) {

		public static final TypeStats EMPTY = new TypeStats(0, 0, 0, new LatencyHistogram(), new LatencyHistogram(), 0);

		public TypeStats merge(TypeStats other) {
			return new TypeStats(count + other.count, errors + other.errors, e2eMicrosSum + other.e2eMicrosSum,
					e2e.merge(other.e2e), transit.merge(other.transit), transitMicrosSum + other.transitMicrosSum);
		}

		/** Mean processing latency (validated to aggregated) in ms over the events whose transit is known. */
		public double meanTransitMillis() {
			long measured = transit.count();
			return measured == 0 ? 0 : transitMicrosSum / 1000.0 / measured;
		}

		public double errorRate() {
			return count == 0 ? 0 : (double) errors / count;
		}

		public double meanE2eMillis() {
			return count == 0 ? 0 : e2eMicrosSum / 1000.0 / count;
		}
	}

	public TypeStats total() {
		return types.values().stream().reduce(TypeStats.EMPTY, TypeStats::merge);
	}

	/**
	 * Reads the fields of a window hash ({@code n:<type>}, {@code e:<type>}, {@code s:<type>}, {@code u:<type>},
	 * {@code h:<type>:<bucket>}, {@code t:<type>:<bucket>}).
	 */
	public static WindowSnapshot fromHash(String region, long start, long end, Map<String, String> hash) {
		Map<String, long[]> scalars = new TreeMap<>();
		Map<String, Map<Integer, Long>> e2e = new TreeMap<>();
		Map<String, Map<Integer, Long>> transit = new TreeMap<>();
		hash.forEach((field, value) -> {
			int colon = field.indexOf(':');
			if (colon < 0) {
				return;
			}
			String kind = field.substring(0, colon);
			String rest = field.substring(colon + 1);
			long number = Long.parseLong(value);
			switch (kind) {
				case "n" -> scalars.computeIfAbsent(rest, t -> new long[4])[0] = number;
				case "e" -> scalars.computeIfAbsent(rest, t -> new long[4])[1] = number;
				case "s" -> scalars.computeIfAbsent(rest, t -> new long[4])[2] = number;
				case "u" -> scalars.computeIfAbsent(rest, t -> new long[4])[3] = number;
				case "h", "t" -> {
					int last = rest.lastIndexOf(':');
					(kind.equals("h") ? e2e : transit).computeIfAbsent(rest.substring(0, last), t -> new TreeMap<>())
							.put(Integer.parseInt(rest.substring(last + 1)), number);
				}
				default -> {
				}
			}
		});
		Map<String, TypeStats> types = new TreeMap<>();
		scalars.forEach((type, v) -> types.put(type, new TypeStats(v[0], v[1], v[2],
				LatencyHistogram.of(e2e.getOrDefault(type, Map.of())), LatencyHistogram.of(transit.getOrDefault(type, Map.of())), v[3])));
		return new WindowSnapshot(region, start, end, Long.parseLong(hash.getOrDefault("closed", "0")), types);
	}
}

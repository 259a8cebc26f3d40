package dev.globalevents.aggregate;

import java.util.Map;
import java.util.TreeMap;

import dev.globalevents.events.LatencyHistogram;

/**
 * What one region's window holds: per event type its count, errors, latency histograms and latency sum.
 */
record WindowSnapshot(String region, long start, long end, boolean closed, Map<String, TypeStats> types) {

	/** Counts and histograms of one event type (or of all types, for {@link #total()}). */
	record TypeStats(long count, long errors, long e2eMicrosSum, LatencyHistogram e2e, LatencyHistogram transit) {

		static final TypeStats EMPTY = new TypeStats(0, 0, 0, new LatencyHistogram(), new LatencyHistogram());

		TypeStats merge(TypeStats other) {
			return new TypeStats(count + other.count, errors + other.errors, e2eMicrosSum + other.e2eMicrosSum,
					e2e.merge(other.e2e), transit.merge(other.transit));
		}

		double errorRate() {
			return count == 0 ? 0 : (double) errors / count;
		}

		double meanE2eMillis() {
			return count == 0 ? 0 : e2eMicrosSum / 1000.0 / count;
		}
	}

	TypeStats total() {
		return types.values().stream().reduce(TypeStats.EMPTY, TypeStats::merge);
	}

	/** Reads the fields of a window hash ({@code n:<type>}, {@code e:<type>}, {@code s:<type>}, {@code h:<type>:<bucket>}, {@code t:<type>:<bucket>}). */
	static WindowSnapshot fromHash(String region, long start, long end, Map<String, String> hash) {
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
				case "n" -> scalars.computeIfAbsent(rest, t -> new long[3])[0] = number;
				case "e" -> scalars.computeIfAbsent(rest, t -> new long[3])[1] = number;
				case "s" -> scalars.computeIfAbsent(rest, t -> new long[3])[2] = number;
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
				LatencyHistogram.of(e2e.getOrDefault(type, Map.of())), LatencyHistogram.of(transit.getOrDefault(type, Map.of())))));
		return new WindowSnapshot(region, start, end, "1".equals(hash.get("closed")), types);
	}
}

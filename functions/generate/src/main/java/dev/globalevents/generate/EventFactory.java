package dev.globalevents.generate;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;

import dev.globalevents.events.Event;

/**
 * Makes events in the Event data model for one region. Types are picked in proportion to their configured rates in
 * the region (or to their weights, when a total rate is imposed, as in load tests). All randomness, ids included,
 * comes from one seeded generator: the same seed and the same clock readings give the same events.
 */
final class EventFactory {

	private final String region;
	private final String instance;
	private final Map<String, TypeSpec> types;
	private final Map<String, PayloadGenerator> payloads = new LinkedHashMap<>();
	private final Map<String, WeightedChoice<Integer>> priorities = new LinkedHashMap<>();
	private final WeightedChoice<String> typeChoice;
	private final RandomGenerator random;

	EventFactory(String region, String instance, Map<String, TypeSpec> types, boolean byWeight, RandomGenerator random) {
		this.region = region;
		this.instance = instance;
		this.types = types;
		this.random = random;
		Map<String, Double> shares = new LinkedHashMap<>();
		types.forEach((name, spec) -> {
			payloads.put(name, new PayloadGenerator(spec.payload() == null ? Map.of() : spec.payload()));
			priorities.put(name, new WeightedChoice<>(spec.priority() == null || spec.priority().isEmpty() ? Map.of(5, 1.0) : spec.priority()));
			shares.put(name, byWeight ? spec.weightOrOne() : spec.rateIn(region));
		});
		if (shares.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
			throw new IllegalArgumentException("no event type has a " + (byWeight ? "weight" : "rate in region " + region)
					+ "; configure generate.types");
		}
		this.typeChoice = new WeightedChoice<>(shares);
	}

	RandomGenerator random() {
		return random;
	}

	TypeSpec spec(String type) {
		return types.get(type);
	}

	/** A new event of a type picked by share, happening at {@code now}. */
	Event next(Instant now) {
		return next(typeChoice.next(random), now);
	}

	Event next(String type, Instant now) {
		TypeSpec spec = types.get(type);
		UUID id = new UUID((random.nextLong() & ~0xf000L) | 0x4000L, (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
		return new Event(id.toString(), now.truncatedTo(ChronoUnit.MILLIS).toString(), type, new Event.Source(region, instance),
				payloads.get(type).next(random), new Event.Metadata(spec.version() == null ? "1.0" : spec.version(),
						priorities.get(type).next(random), spec.tags() == null ? List.of() : spec.tags()));
	}
}

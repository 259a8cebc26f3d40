package dev.globalevents.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import dev.globalevents.events.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Builds payloads from {@link FieldSpec}s; all randomness comes from the generator passed in (seeded). */
final class PayloadGenerator {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
	private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

	/** One field's generator. */
	interface Field {
		JsonNode next(RandomGenerator random);
	}

	private record Named(String name, Field field, double presence) {
	}

	private final List<Named> fields = new ArrayList<>();

	PayloadGenerator(Map<String, FieldSpec> specs) {
		specs.forEach((name, spec) -> fields.add(new Named(name, compile(name, spec),
				spec.presence() == null ? 1 : spec.presence())));
	}

	ObjectNode next(RandomGenerator random) {
		ObjectNode payload = Json.MAPPER.createObjectNode();
		for (Named named : fields) {
			if (named.presence() >= 1 || random.nextDouble() < named.presence()) {
				payload.set(named.name(), named.field().next(random));
			}
		}
		return payload;
	}

	static Field compile(String name, FieldSpec spec) {
		String kind = spec.kind() == null ? "string" : spec.kind();
		String prefix = spec.prefix() == null ? "" : spec.prefix();
		return switch (kind) {
			case "id" -> spec.cardinality() != null && spec.cardinality() > 0
					? random -> NODES.stringNode(prefix + random.nextInt(spec.cardinality()))
					: random -> NODES.stringNode(prefix + Long.toHexString(random.nextLong() & 0xffffffffffffL));
			case "integer" -> random -> NODES.numberNode(Math.round(number(spec, random)));
			case "number" -> random -> NODES.numberNode(BigDecimal.valueOf(number(spec, random))
					.setScale(spec.decimals() == null ? 2 : spec.decimals(), RoundingMode.HALF_UP).doubleValue());
			case "enum" -> weighted(name, spec.values());
			case "string" -> random -> {
				StringBuilder text = new StringBuilder(prefix);
				int length = spec.length() == null ? 8 : spec.length();
				for (int i = 0; i < length; i++) {
					text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
				}
				return NODES.stringNode(text.toString());
			};
			case "boolean" -> random -> NODES.booleanNode(random.nextDouble() < (spec.probability() == null ? 0.5 : spec.probability()));
			case "constant" -> {
				JsonNode constant = Json.MAPPER.valueToTree(spec.value());
				yield random -> constant;
			}
			case "object" -> {
				PayloadGenerator nested = new PayloadGenerator(spec.fields() == null ? Map.of() : spec.fields());
				yield nested::next;
			}
			default -> throw new IllegalArgumentException("field " + name + ": unknown kind " + kind
					+ " (id, integer, number, enum, string, boolean, constant, object)");
		};
	}

	private static double number(FieldSpec spec, RandomGenerator random) {
		double min = spec.min() == null ? 0 : spec.min();
		double max = spec.max() == null ? (spec.mean() == null ? 100 : spec.mean() * 10) : spec.max();
		double mean = spec.mean() == null ? (min + max) / 2 : spec.mean();
		double stddev = spec.stddev() == null ? mean / 4 : spec.stddev();
		double value = switch (spec.distribution() == null ? "uniform" : spec.distribution()) {
			case "normal" -> mean + stddev * random.nextGaussian();
			case "lognormal" -> {
				double sigma2 = Math.log(1 + (stddev * stddev) / (mean * mean));
				yield Math.exp(Math.log(mean) - sigma2 / 2 + Math.sqrt(sigma2) * random.nextGaussian());
			}
			case "exponential" -> mean * random.nextExponential();
			default -> min + (max - min) * random.nextDouble();
		};
		return Math.min(max, Math.max(min, value));
	}

	/** A value chosen by weight from a value-to-weight map. */
	static Field weighted(String name, Map<String, Double> values) {
		if (values == null || values.isEmpty()) {
			throw new IllegalArgumentException("field " + name + ": an enum needs values");
		}
		WeightedChoice<String> choice = new WeightedChoice<>(values);
		return random -> NODES.stringNode(choice.next(random));
	}
}

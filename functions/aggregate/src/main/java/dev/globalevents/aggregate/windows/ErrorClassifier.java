package dev.globalevents.aggregate.windows;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;

/**
 * Decides whether an event is an error, from configuration: a type alone ({@code login.failed: ""}) makes every
 * event of that type an error; {@code payment.processed: "/status=failed|refunded"} makes an event an error when
 * the payload field at that JSON pointer has one of the values.
 */
public final class ErrorClassifier {

	private final Map<String, Predicate<JsonNode>> rules = new HashMap<>();

	public ErrorClassifier(Map<String, String> config) {
		config.forEach((type, rule) -> rules.put(type, parse(type, rule == null ? "" : rule.trim())));
	}

	private static Predicate<JsonNode> parse(String type, String rule) {
		if (rule.isEmpty()) {
			return payload -> true;
		}
		int equals = rule.indexOf('=');
		if (!rule.startsWith("/") || equals < 0) {
			throw new IllegalArgumentException("error rule of " + type + " must be empty or /pointer=value1|value2: " + rule);
		}
		String pointer = rule.substring(0, equals);
		Set<String> values = Set.of(rule.substring(equals + 1).split("\\|"));
		return payload -> {
			JsonNode field = payload.at(pointer);
			return !field.isMissingNode() && values.contains(field.isString() ? field.asString() : field.toString());
		};
	}

	/** Whether an event of this type with this payload is an error. */
	public boolean test(String type, JsonNode payload) {
		Predicate<JsonNode> rule = rules.get(type);
		return rule != null && payload != null && rule.test(payload);
	}
}

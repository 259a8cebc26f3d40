package dev.globalevents.aggregate.replay;

import dev.globalevents.runtime.web.RejectedInput;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.globalevents.events.Event;
import dev.globalevents.events.Regions;
import dev.globalevents.events.Violation;
import dev.globalevents.runtime.web.Problem;
import tools.jackson.databind.JsonNode;

/**
 * What to replay: events whose event time is in [from, to), optionally only of one source region and one event type.
 * Read from a JSON body {@code {"from": "...", "to": "...", "region": "eu-west", "type": "order.created"}}.
 */
public record ReplayRequest(Instant from, Instant to, String region, String type) {

	public static ReplayRequest parse(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw new RejectedInput(invalid("/", "the body must be a JSON object with from and to"));
		}
		Instant from = instant(body, "from");
		Instant to = instant(body, "to");
		if (!from.isBefore(to)) {
			throw new RejectedInput(invalid("/to", "to must be after from"));
		}
		String region = optional(body, "region");
		if (region != null && Regions.canonical(region) == null) {
			throw new RejectedInput(invalid("/region", "unknown region " + region + "; known: " + Regions.all()));
		}
		return new ReplayRequest(from, to, region == null ? null : Regions.canonical(region), optional(body, "type"));
	}

	public boolean matches(Event event) {
		Instant time = Instant.parse(event.timestamp());
		return !time.isBefore(from) && time.isBefore(to)
				&& (region == null || region.equals(event.source().region()))
				&& (type == null || type.equals(event.type()));
	}

	public Map<String, String> fields() {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("from", from.toString());
		fields.put("to", to.toString());
		fields.put("region", region == null ? "" : region);
		fields.put("type", type == null ? "" : type);
		return fields;
	}

	private static Instant instant(JsonNode body, String field) {
		String text = optional(body, field);
		if (text == null) {
			throw new RejectedInput(invalid("/" + field, field + " is required (ISO 8601, for example 2026-11-24T10:00:00Z)"));
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeException e) {
			throw new RejectedInput(invalid("/" + field, field + " is not an ISO 8601 instant: " + text));
		}
	}

	private static String optional(JsonNode body, String field) {
		JsonNode node = body.get(field);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isString() || node.asString().isBlank()) {
			throw new RejectedInput(invalid("/" + field, field + " must be a non-empty string"));
		}
		return node.asString();
	}

	private static Problem invalid(String field, String message) {
		return new Problem("urn:globalevents:problem:invalid-replay", "Invalid replay request", 400, message,
				List.of(new Violation(field, "replay.invalid", message)));
	}
}

package dev.globalevents.validate;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import dev.globalevents.events.EventRegistry;
import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Event;
import dev.globalevents.events.EventSourceUri;
import dev.globalevents.events.Json;
import dev.globalevents.events.JsonSchemas;
import dev.globalevents.events.JsonSchemas.CompiledSchema;
import dev.globalevents.events.Regions;
import dev.globalevents.events.Violation;
import dev.globalevents.runtime.web.CloudEventCodec;
import org.springframework.messaging.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks an incoming CloudEvent against the wire contract ({@code cloudevent.schema.json}), the registered type's
 * payload schema and the rules a schema cannot express (reserved types, clock skew, known region, payload size),
 * then normalizes it into an {@link Event} and checks that against {@code event.schema.json}. Every violation is
 * reported, not only the first. Pure: no I/O, safe to share between threads.
 */
public final class EventValidator {

	private final CompiledSchema wire = JsonSchemas.load(JsonSchemas.CLOUDEVENT);
	private final CompiledSchema canonical = JsonSchemas.load(JsonSchemas.EVENT);
	private final EventRegistry types;
	private final EventNormalizer normalizer;
	private final ValidateProperties properties;
	private final Clock clock;

	public EventValidator(EventRegistry types, ValidateProperties properties, Clock clock) {
		this.types = types;
		this.properties = properties;
		this.clock = clock;
		this.normalizer = new EventNormalizer(properties.defaultPriority(), properties.defaultVersion());
	}

	public Validation validate(Message<JsonNode> message) {
		ObjectNode envelope = CloudEventCodec.envelope(message);
		List<Violation> violations = new ArrayList<>(wire.validate(envelope, ""));
		String type = text(envelope, CloudEventAttributes.TYPE);
		JsonNode data = envelope.get(CloudEventAttributes.DATA);
		if (CloudEventTypes.isReserved(type)) {
			violations.add(new Violation("/type", "type.reserved",
					"type " + type + " is reserved for the pipeline (" + CloudEventTypes.RESERVED_PREFIXES + ")"));
		}
		else if (type != null) {
			CompiledSchema payloadSchema = types.payloadSchema(type);
			if (payloadSchema == null) {
				violations.add(new Violation("/type", "type.unregistered",
						"type " + type + " is not registered; registered types: " + types.types()));
			}
			else if (data != null && data.isObject()) {
				violations.addAll(payloadSchema.validate(data, "/data"));
			}
		}
		checkPayloadSize(message, data, violations);
		checkTime(text(envelope, CloudEventAttributes.TIME), violations);
		Event.Source source = EventSourceUri.parse(text(envelope, CloudEventAttributes.SOURCE));
		if (source != null && Regions.canonical(source.region()) == null) {
			violations.add(new Violation("/source", "region.unknown",
					"region " + source.region() + " is unknown; known regions: " + Regions.all()));
		}
		if (!violations.isEmpty()) {
			return new Validation.Invalid(violations);
		}
		Event event = normalizer.normalize(envelope, source);
		List<Violation> canonicalViolations = canonical.validate(Json.MAPPER.valueToTree(event), "/event");
		return canonicalViolations.isEmpty() ? new Validation.Valid(event) : new Validation.Invalid(canonicalViolations);
	}

	private void checkPayloadSize(Message<JsonNode> message, JsonNode data, List<Violation> violations) {
		if (data == null) {
			return;
		}
		Object declared = message.getHeaders().get(CloudEventCodec.DATA_LENGTH_HEADER);
		long bytes = declared instanceof Integer length ? length : Json.MAPPER.writeValueAsBytes(data).length;
		if (bytes > properties.maxPayloadBytes()) {
			violations.add(new Violation("/data", "data.too-large",
					"data is " + bytes + " bytes; at most " + properties.maxPayloadBytes() + " are accepted"));
		}
	}

	private void checkTime(String time, List<Violation> violations) {
		if (time == null) {
			return;
		}
		try {
			Instant instant = OffsetDateTime.parse(time.replace(' ', 'T')).toInstant();
			Instant latest = clock.instant().plus(properties.maxFutureSkew());
			if (instant.isAfter(latest)) {
				violations.add(new Violation("/time", "time.future", "time " + time + " is more than "
						+ properties.maxFutureSkew() + " in the future (clock skew limit)"));
			}
		}
		catch (DateTimeParseException e) {
			violations.add(new Violation("/time", "time.unparseable", "time " + time + " is not an RFC 3339 date-time"));
		}
	}

	private static String text(JsonNode envelope, String attribute) {
		JsonNode node = envelope.get(attribute);
		return node != null && node.isString() ? node.asString() : null;
	}
}

package dev.globalevents.events;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.globalevents.events.JsonSchemas.CompiledSchema;
import tools.jackson.databind.JsonNode;

/**
 * The registered event types and their payload schemas, read from {@code schemas/registered-event.schema.json}: the
 * one list the gateway (request validation against that file) and the validate function (this class) share. Each
 * type is in the file's {@code type} enum and has an {@code if type = T then data matches T.payload.schema.json}
 * entry; {@link #load()} refuses a file where the two disagree.
 */
public final class EventRegistry {

	/** The registry's schema file name (without {@code .schema.json}). */
	public static final String SCHEMA = "registered-event";

	private static final EventRegistry SHIPPED = load();

	private final Map<String, CompiledSchema> payloadSchemas;

	private EventRegistry(Map<String, CompiledSchema> payloadSchemas) {
		this.payloadSchemas = Map.copyOf(payloadSchemas);
	}

	/** The registry shipped in this module, compiled once. */
	public static EventRegistry shipped() {
		return SHIPPED;
	}

	static EventRegistry load() {
		JsonNode registry = JsonSchemas.schemaNode(SCHEMA);
		Map<String, String> files = new LinkedHashMap<>();
		for (JsonNode entry : registry.path("allOf")) {
			JsonNode type = entry.at("/if/properties/type/const");
			if (type.isString()) {
				String ref = entry.at("/then/properties/data/$ref").asString("");
				if (ref.isEmpty() || files.put(type.asString(), ref) != null) {
					throw new IllegalStateException(SCHEMA + ": type " + type.asString() + " needs exactly one payload schema $ref");
				}
			}
		}
		Set<String> listed = new java.util.LinkedHashSet<>();
		registry.at("/properties/type/enum").forEach(t -> listed.add(t.asString()));
		if (!listed.equals(files.keySet())) {
			throw new IllegalStateException(SCHEMA + ": the type enum " + listed + " and the payload entries " + files.keySet() + " differ");
		}
		Map<String, CompiledSchema> schemas = new LinkedHashMap<>();
		files.forEach((type, file) -> schemas.put(type, JsonSchemas.compileFile(type, file)));
		return new EventRegistry(schemas);
	}

	/** The payload schema of a type, or null when the type is not registered. */
	public CompiledSchema payloadSchema(String type) {
		return payloadSchemas.get(type);
	}

	public Set<String> types() {
		return payloadSchemas.keySet();
	}
}

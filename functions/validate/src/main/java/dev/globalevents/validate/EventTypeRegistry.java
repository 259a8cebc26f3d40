package dev.globalevents.validate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.globalevents.events.Json;
import dev.globalevents.events.JsonSchemas;
import dev.globalevents.events.JsonSchemas.CompiledSchema;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

/** The event types this region accepts, each with its compiled payload schema. */
public final class EventTypeRegistry {

	private final Map<String, CompiledSchema> payloadSchemas;

	private EventTypeRegistry(Map<String, CompiledSchema> payloadSchemas) {
		this.payloadSchemas = Map.copyOf(payloadSchemas);
	}

	/** Loads every schema up front so a broken configuration stops the function at start, not on traffic. */
	public static EventTypeRegistry load(Map<String, String> typeToSchemaLocation) {
		DefaultResourceLoader loader = new DefaultResourceLoader();
		Map<String, CompiledSchema> schemas = new LinkedHashMap<>();
		typeToSchemaLocation.forEach((type, location) -> {
			Resource resource = loader.getResource(location);
			try (InputStream in = resource.getInputStream()) {
				schemas.put(type, JsonSchemas.compile(type, Json.MAPPER.readTree(in)));
			}
			catch (IOException e) {
				throw new UncheckedIOException("payload schema of event type " + type + " at " + location, e);
			}
		});
		return new EventTypeRegistry(schemas);
	}

	/** The payload schema of a type, or null when the type is not registered. */
	public CompiledSchema payloadSchema(String type) {
		return payloadSchemas.get(type);
	}

	public Set<String> types() {
		return payloadSchemas.keySet();
	}
}

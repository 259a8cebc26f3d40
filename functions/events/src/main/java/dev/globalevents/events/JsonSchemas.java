package dev.globalevents.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import tools.jackson.databind.JsonNode;

/**
 * The JSON Schemas shipped in this module ({@code classpath:/schemas/*.schema.json}) and a validator that turns
 * schema errors into {@link Violation}s. Schemas are compiled once; {@link CompiledSchema#validate} is thread-safe.
 */
public final class JsonSchemas {

	/** Wire contract of an incoming CloudEvent (structured form). */
	public static final String CLOUDEVENT = "cloudevent";

	/** A normalized Event. */
	public static final String EVENT = "event";

	/** A Metrics sample or window. */
	public static final String METRICS = "metrics";

	/** A closed window that a region publishes to its peers. */
	public static final String SUMMARY = "summary";

	/** The {@code $id} prefix of the shipped schemas; references between them resolve to the classpath. */
	public static final String ID_PREFIX = "https://globalevents.dev/schemas/";

	private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012(),
			builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
					.schemaLoader(loader -> loader.schemaIdResolvers(ids -> ids.mapPrefix(ID_PREFIX, "classpath:schemas/"))));

	private JsonSchemas() {
	}

	/** The raw schema document {@code schemas/<name>.schema.json}. */
	public static JsonNode schemaNode(String name) {
		return read("schemas/" + name + ".schema.json");
	}

	/** Compiles {@code schemas/<name>.schema.json}. */
	public static CompiledSchema load(String name) {
		return compile(name, schemaNode(name));
	}

	/** Compiles the payload schema of an event type from a classpath location or an already read document. */
	public static CompiledSchema compile(String name, JsonNode schema) {
		return new CompiledSchema(name, REGISTRY.getSchema(schema));
	}

	/**
	 * Compiles the shipped schema file {@code schemas/<file>} at its location, so its relative {@code $ref}s
	 * resolve to the files beside it (the way the gateway resolves them too: those files carry no {@code $id}).
	 */
	public static CompiledSchema compileFile(String name, String file) {
		return new CompiledSchema(name, REGISTRY.getSchema(com.networknt.schema.SchemaLocation.of(ID_PREFIX + file)));
	}

	static JsonNode read(String classpathLocation) {
		try (InputStream in = JsonSchemas.class.getClassLoader().getResourceAsStream(classpathLocation)) {
			if (in == null) {
				throw new IllegalArgumentException("no schema on the classpath at " + classpathLocation);
			}
			return Json.MAPPER.readTree(in);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** A compiled schema. */
	public record CompiledSchema(String name, Schema schema) {

		/**
		 * Validates a document; each error becomes a violation whose field is prefixed with {@code pointerPrefix}
		 * (for example {@code /data} when validating the payload of an envelope).
		 */
		public List<Violation> validate(JsonNode document, String pointerPrefix) {
			List<Error> errors = schema.validate(document);
			if (errors.isEmpty()) {
				return List.of();
			}
			List<Violation> violations = new ArrayList<>(errors.size());
			for (Error error : errors) {
				String location = error.getInstanceLocation().toString();
				String pointer = pointerPrefix + (location.startsWith("$") ? location.substring(1).replace('.', '/') : location);
				violations.add(new Violation(pointer.isEmpty() ? "/" : pointer, "schema." + error.getKeyword(),
						name + " schema: " + error.getMessage()));
			}
			return violations;
		}
	}
}

package dev.globalevents.events.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.globalevents.events.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Named test events shared by every module (published in this module's test-jar). Each scenario is a golden
 * structured CloudEvent in {@code golden/events/<name>.json}; valid ones have their expected normalized event in
 * {@code golden/validated/<name>.json}, invalid ones name the violation they must produce.
 */
public final class TestEvents {

	/** The clock of rule tests: every golden event lies before it, except the one that is in the future. */
	public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

	/** A golden event and what validating it must give. */
	public record Scenario(String name, String expectedCode, String expectedField) {

		public boolean valid() {
			return expectedCode == null;
		}

		/** The structured-mode envelope (a fresh copy). */
		public ObjectNode structured() {
			return (ObjectNode) load("golden/events/" + name + ".json");
		}

		/** The expected normalized event of a valid scenario. */
		public JsonNode validated() {
			return load("golden/validated/" + name + ".json");
		}

		/** The same event in binary mode: {@code Ce-*} headers (canonical Go casing, as Knative sends them). */
		public Map<String, String> binaryHeaders() {
			return TestEvents.binaryHeaders(structured());
		}

		/** The binary-mode body: the data. */
		public byte[] binaryBody() {
			return Json.MAPPER.writeValueAsBytes(structured().get("data"));
		}

		@Override
		public String toString() {
			return name;
		}
	}

	public static final Scenario ORDER_CREATED_FULL = new Scenario("order_created_full", null, null);
	public static final Scenario SENSOR_READING_MINIMAL = new Scenario("sensor_reading_minimal", null, null);
	public static final Scenario PAYMENT_PROCESSED_EU = new Scenario("payment_processed_eu", null, null);
	public static final Scenario PAGE_VIEW_US = new Scenario("page_view_us", null, null);
	public static final Scenario LOGIN_FAILED_AP = new Scenario("login_failed_ap", null, null);

	public static final Scenario ID_NOT_UUID = new Scenario("id_not_uuid", "schema.pattern", "/id");
	public static final Scenario TIME_MISSING = new Scenario("time_missing", "schema.required", "/");
	public static final Scenario TIME_IN_FUTURE = new Scenario("time_in_future", "time.future", "/time");
	public static final Scenario TIME_WITHOUT_OFFSET = new Scenario("time_without_offset", "schema.pattern", "/time");
	public static final Scenario REGION_UNKNOWN = new Scenario("region_unknown", "region.unknown", "/source");
	public static final Scenario SOURCE_MALFORMED = new Scenario("source_malformed", "schema.pattern", "/source");
	public static final Scenario TYPE_UNREGISTERED = new Scenario("type_unregistered", "type.unregistered", "/type");
	public static final Scenario TYPE_RESERVED = new Scenario("type_reserved", "type.reserved", "/type");
	public static final Scenario PRIORITY_OUT_OF_RANGE = new Scenario("priority_out_of_range", "schema.maximum", "/priority");
	public static final Scenario PRIORITY_NOT_INTEGER = new Scenario("priority_not_integer", "schema.type", "/priority");
	public static final Scenario PAYLOAD_MISSING_FIELD = new Scenario("payload_missing_field", "schema.required", "/data");
	public static final Scenario PAYLOAD_WRONG_TYPE = new Scenario("payload_wrong_type", "schema.type", "/data/amount");
	public static final Scenario SPECVERSION_WRONG = new Scenario("specversion_wrong", "schema.const", "/specversion");
	public static final Scenario DATA_NOT_OBJECT = new Scenario("data_not_object", "schema.type", "/data");
	public static final Scenario TAG_INVALID_CHARS = new Scenario("tag_invalid_chars", "schema.pattern", "/tags");
	public static final Scenario VERSION_MALFORMED = new Scenario("version_malformed", "schema.pattern", "/eventversion");

	private TestEvents() {
	}

	public static Stream<Scenario> valid() {
		return Stream.of(ORDER_CREATED_FULL, SENSOR_READING_MINIMAL, PAYMENT_PROCESSED_EU, PAGE_VIEW_US, LOGIN_FAILED_AP);
	}

	public static Stream<Scenario> invalid() {
		return Stream.of(ID_NOT_UUID, TIME_MISSING, TIME_IN_FUTURE, TIME_WITHOUT_OFFSET, REGION_UNKNOWN,
				SOURCE_MALFORMED, TYPE_UNREGISTERED, TYPE_RESERVED, PRIORITY_OUT_OF_RANGE, PRIORITY_NOT_INTEGER,
				PAYLOAD_MISSING_FIELD, PAYLOAD_WRONG_TYPE, SPECVERSION_WRONG, DATA_NOT_OBJECT, TAG_INVALID_CHARS,
				VERSION_MALFORMED);
	}

	public static List<Scenario> all() {
		return Stream.concat(valid(), invalid()).toList();
	}

	/** A golden window summary ({@code golden/summaries/<name>.json}), a fresh copy. */
	public static ObjectNode summary(String name) {
		return (ObjectNode) load("golden/summaries/" + name + ".json");
	}

	/** A copy of a scenario with a new id, for tests that need many distinct events. */
	public static ObjectNode withId(Scenario scenario, String id) {
		ObjectNode event = scenario.structured();
		event.put("id", id);
		return event;
	}

	/** Binary-mode headers of a structured envelope, with canonical {@code Ce-Id} casing. */
	public static Map<String, String> binaryHeaders(ObjectNode envelope) {
		Map<String, String> headers = new LinkedHashMap<>();
		envelope.properties().forEach(attribute -> {
			String name = attribute.getKey();
			if (name.equals("data")) {
				return;
			}
			JsonNode value = attribute.getValue();
			String text = value.isString() ? value.asString() : value.toString();
			if (name.equals("datacontenttype")) {
				headers.put("Content-Type", text);
			}
			else {
				headers.put("Ce-" + Character.toUpperCase(name.charAt(0)) + name.substring(1), text);
			}
		});
		headers.putIfAbsent("Content-Type", "application/json");
		return headers;
	}

	static JsonNode load(String location) {
		try (InputStream in = TestEvents.class.getClassLoader().getResourceAsStream(location)) {
			if (in == null) {
				throw new IllegalArgumentException("no golden file " + location);
			}
			return Json.MAPPER.readTree(in);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}

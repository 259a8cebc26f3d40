package dev.globalevents.validate;

import java.util.Map;

import dev.globalevents.events.Json;
import dev.globalevents.events.Violation;
import dev.globalevents.events.testing.TestEvents;
import dev.globalevents.events.testing.TestEvents.Scenario;
import dev.globalevents.runtime.web.CloudEventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.messaging.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The validation and normalization rules, table-driven over the shared golden events; no Spring, no Redis. */
class EventValidatorTest {

	private final EventValidator validator = TestConfig.validator();

	static java.util.stream.Stream<Scenario> valid() {
		return TestEvents.valid();
	}

	static java.util.stream.Stream<Scenario> invalid() {
		return TestEvents.invalid();
	}

	@ParameterizedTest
	@MethodSource("valid")
	void validEventsAreNormalizedToTheirGoldenForm(Scenario scenario) {
		Validation result = validator.validate(structured(scenario.structured()));

		assertThat(result).isInstanceOfSatisfying(Validation.Valid.class,
				valid -> assertThat((JsonNode) Json.MAPPER.valueToTree(valid.event())).isEqualTo(scenario.validated()));
	}

	@ParameterizedTest
	@MethodSource("invalid")
	void invalidEventsAreRejectedWithTheirReason(Scenario scenario) {
		Validation result = validator.validate(structured(scenario.structured()));

		assertThat(result).isInstanceOfSatisfying(Validation.Invalid.class, invalid -> assertThat(invalid.violations())
				.anySatisfy(v -> {
					assertThat(v.code()).isEqualTo(scenario.expectedCode());
					assertThat(v.field()).isEqualTo(scenario.expectedField());
					assertThat(v.message()).isNotBlank();
				}));
	}

	@Test
	void everyViolationIsReportedNotOnlyTheFirst() {
		ObjectNode event = TestEvents.ORDER_CREATED_FULL.structured();
		event.put("id", "nope");
		event.put("priority", 99);
		event.put("source", "/regions/mars/instances/x");
		((ObjectNode) event.get("data")).remove("currency");

		Validation result = validator.validate(structured(event));

		assertThat(result).isInstanceOfSatisfying(Validation.Invalid.class, invalid -> assertThat(invalid.violations())
				.extracting(Violation::field).contains("/id", "/priority", "/source", "/data"));
	}

	@Test
	void tooManyTagsAreCaughtByTheCanonicalEventSchema() {
		ObjectNode event = TestEvents.ORDER_CREATED_FULL.structured();
		event.put("tags", String.join(",", java.util.stream.IntStream.range(0, 40).mapToObj(i -> "t" + i).toList()));

		Validation result = validator.validate(structured(event));

		assertThat(result).isInstanceOfSatisfying(Validation.Invalid.class, invalid -> assertThat(invalid.violations())
				.anySatisfy(v -> assertThat(v.field()).isEqualTo("/event/metadata/tags")));
	}

	@Test
	void oversizedPayloadIsRejected() {
		ObjectNode event = TestEvents.SENSOR_READING_MINIMAL.structured();
		((ObjectNode) event.get("data")).put("unit", "x".repeat(15_000));
		((ObjectNode) event.get("data")).put("note", "y".repeat(15_000));
		((ObjectNode) event.get("data")).put("more", "z".repeat(15_000));

		Validation result = validator.validate(structured(event));

		assertThat(result).isInstanceOfSatisfying(Validation.Invalid.class, invalid -> assertThat(invalid.violations())
				.extracting(Violation::code).contains("data.too-large"));
	}

	private static Message<JsonNode> structured(ObjectNode envelope) {
		return CloudEventCodec.decode(CloudEventCodec.STRUCTURED, Map.of(), Json.MAPPER.writeValueAsBytes(envelope))
				.events().get(0);
	}
}

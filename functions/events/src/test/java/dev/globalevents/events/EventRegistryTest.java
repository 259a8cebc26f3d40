package dev.globalevents.events;

import java.util.Set;
import java.util.stream.Collectors;

import dev.globalevents.events.testing.TestEvents;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The event registry the gateway and validate share: one file, consistent, covered by golden events. */
class EventRegistryTest {

	@Test
	void theShippedTypesEachHaveAPayloadSchemaAndAValidGoldenEvent() {
		EventRegistry registry = EventRegistry.shipped();
		Set<String> golden = TestEvents.valid().map(s -> s.structured().get("type").asString()).collect(Collectors.toSet());

		assertThat(registry.types()).containsExactlyInAnyOrder("order.created", "payment.processed", "sensor.reading", "page.view", "login.failed");
		assertThat(golden).as("a valid golden event per registered type (the JS SDK test sends one of each)").isEqualTo(registry.types());
		TestEvents.valid().forEach(s -> assertThat(registry.payloadSchema(s.structured().get("type").asString())
				.validate(s.structured().get("data"), "/data")).as(s.name()).isEmpty());
		assertThat(registry.payloadSchema("order.exploded")).isNull();
	}

	@Test
	void aPayloadThatBreaksItsTypesSchemaIsNamedByField() {
		var violations = EventRegistry.shipped().payloadSchema("order.created")
				.validate(TestEvents.PAYLOAD_WRONG_TYPE.structured().get("data"), "/data");

		assertThat(violations).extracting(Violation::field).contains("/data/amount");
	}

	@Test
	void theRegistryAndPayloadSchemasCarryNoIdSoTheGatewayResolvesTheirReferencesBesideThem() {
		assertThat(JsonSchemas.schemaNode(EventRegistry.SCHEMA).has("$id")).isFalse();
		for (String type : EventRegistry.shipped().types()) {
			assertThat(JsonSchemas.schemaNode(type + ".payload").has("$id")).as(type).isFalse();
		}
	}
}

package dev.globalevents.validate;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.globalevents.events.testing.TestEvents;

/** The validate configuration of tests without Spring: the shipped defaults and the five shipped event types. */
final class TestConfig {

	private TestConfig() {
	}

	static ValidateProperties properties(String redisUrl) {
		Map<String, String> types = new LinkedHashMap<>();
		for (String type : new String[] { "order.created", "payment.processed", "sensor.reading", "page.view", "login.failed" }) {
			types.put(type, "classpath:schemas/payloads/" + type + ".schema.json");
		}
		return new ValidateProperties("us-east", redisUrl, Duration.ofMillis(500), Duration.ofHours(1), 65536, 32768,
				Duration.ofMinutes(5), 5, "1.0", types);
	}

	static EventValidator validator() {
		ValidateProperties properties = properties("redis://unused");
		return new EventValidator(EventTypeRegistry.load(properties.types()), properties,
				Clock.fixed(TestEvents.NOW, ZoneOffset.UTC));
	}
}

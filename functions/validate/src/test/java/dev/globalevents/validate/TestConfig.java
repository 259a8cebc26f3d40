package dev.globalevents.validate;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import dev.globalevents.events.EventRegistry;
import dev.globalevents.events.testing.TestEvents;

/** The validate configuration of tests without Spring: the shipped defaults and the shipped event registry. */
final class TestConfig {

	private TestConfig() {
	}

	static ValidateProperties properties(String redisUrl) {
		return new ValidateProperties("us-east", redisUrl, Duration.ofMillis(500), Duration.ofHours(1), 65536, 32768,
				Duration.ofMinutes(5), 5, "1.0");
	}

	static EventValidator validator() {
		ValidateProperties properties = properties("redis://unused");
		return new EventValidator(EventRegistry.shipped(), properties,
				Clock.fixed(TestEvents.NOW, ZoneOffset.UTC));
	}
}

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

	/** The shipped defaults (ValidateProperties' own), with a de-duplication memory of an hour. */
	static ValidateProperties properties() {
		return ValidateProperties.defaults().withDedupTtl(Duration.ofHours(1));
	}

	static EventValidator validator() {
		ValidateProperties properties = properties();
		return new EventValidator(EventRegistry.shipped(), properties,
				Clock.fixed(TestEvents.NOW, ZoneOffset.UTC));
	}
}

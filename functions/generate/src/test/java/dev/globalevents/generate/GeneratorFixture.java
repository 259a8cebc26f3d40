package dev.globalevents.generate;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import dev.globalevents.events.testing.RecordingSink;
import dev.globalevents.runtime.web.TraceHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A generator wired like the app, sending to a real local HTTP receiver, for tests without Spring. */
final class GeneratorFixture {

	static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

	final GenerateStats stats = new GenerateStats(new SimpleMeterRegistry());
	final ChaosControl chaos = new ChaosControl(ChaosSettings.NONE);
	final Generator generator;

	GeneratorFixture(RecordingSink sink, GenerateProperties.ContentMode mode, boolean fixedClock) {
		this(sink.url(), mode, fixedClock, 3, Duration.ofMillis(20), java.util.Map.of());
	}

	GeneratorFixture(String url, GenerateProperties.ContentMode mode, boolean fixedClock, int retries, Duration backoff,
			java.util.Map<String, Object> overrides) {
		GenerateProperties properties = DefaultConfig.properties(overrides);
		EventFactory factory = new EventFactory("eu-west", "gen-test", properties.types(), false, new SplittableRandom(11));
		Clock clock = fixedClock ? Clock.fixed(NOW, ZoneOffset.UTC) : Clock.systemUTC();
		generator = new Generator(factory, chaos.reference(), new CloudEventEncoder(mode, "{\"extensions\":{\"cluster\":\"test\"}}"),
				new HttpEventSender(URI.create(url), Duration.ofSeconds(5), retries, backoff, stats, TraceHeaders.NONE), stats, 16, 10, clock);
	}
}

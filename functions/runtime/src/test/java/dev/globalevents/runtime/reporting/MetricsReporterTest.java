package dev.globalevents.runtime.reporting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Json;
import dev.globalevents.events.JsonSchemas;
import dev.globalevents.events.Metrics;
import dev.globalevents.events.testing.RecordingSink;
import dev.globalevents.runtime.web.CloudEventCodec;
import dev.globalevents.runtime.web.HttpCloudEventSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class MetricsReporterTest {

	static final MeterReading READING = new MeterReading("demo.events", "outcome", Set.of("rejected"), "demo.processing");

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();
	final Clock clock = Clock.fixed(Instant.parse("2026-06-01T00:00:10Z"), ZoneOffset.UTC);

	MetricsReporter reporter() {
		return new MetricsReporter(registry, READING, () -> Mono.just(7L), "eu-west", "pod-1",
				new Metrics.Tags("test", "demo", "1.2.3"), clock);
	}

	@Test
	void aSampleReportsTheIntervalSinceThePreviousOne() {
		Counter.builder("demo.events").tag("outcome", "accepted").register(registry).increment(5);
		MetricsReporter reporter = reporter();
		Counter.builder("demo.events").tag("outcome", "accepted").register(registry).increment(8);
		Counter.builder("demo.events").tag("outcome", "rejected").register(registry).increment(2);
		Timer timer = Timer.builder("demo.processing").register(registry);
		for (int i = 0; i < 10; i++) {
			timer.record(Duration.ofMillis(4));
		}

		Metrics first = reporter.sample().block();
		Metrics second = reporter.sample().block();

		assertThat(first.metrics().eventCount()).isEqualTo(10);
		assertThat(first.metrics().errorRate()).isEqualTo(0.2);
		assertThat(first.metrics().processingTime()).isCloseTo(4.0, within(0.001));
		assertThat(first.metrics().queueDepth()).isEqualTo(7);
		assertThat(first.metrics().memoryUsage()).isPositive();
		assertThat(first.region()).isEqualTo("eu-west");
		assertThat(first.timestamp()).isEqualTo("2026-06-01T00:00:10Z");
		assertThat(second.metrics().eventCount()).isZero();
		assertThat(second.metrics().errorRate()).isZero();
	}

	@Test
	void samplesAreSentAsMetricsSampleCloudEventsThatFitTheMetricsSchema() {
		try (RecordingSink sink = new RecordingSink(); MetricsReporter reporter = reporter()) {
			reporter.start(new HttpCloudEventSender(sink.url(), "", Duration.ofSeconds(2)), Duration.ofMillis(100));

			await().atMost(Duration.ofSeconds(5)).until(() -> sink.received().size() >= 2);

			RecordingSink.Received received = sink.received().getFirst();
			assertThat(received.header("ce-type")).isEqualTo(CloudEventTypes.METRICS_SAMPLE);
			assertThat(received.header("ce-source")).isEqualTo("/demo/eu-west/pod-1");
			assertThat(received.header("ce-region")).isEqualTo("eu-west");
			assertThat(sink.received()).extracting(r -> r.header("ce-id")).doesNotHaveDuplicates();
			var data = Json.MAPPER.readTree(received.body());
			assertThat(JsonSchemas.load(JsonSchemas.METRICS).validate(data, "")).isEmpty();
			assertThat(data.at("/tags/service").asString()).isEqualTo("demo");
			assertThat(CloudEventCodec.decode("application/json", received.headers(), received.body()).events()).hasSize(1);
		}
	}
}

package dev.globalevents.generate;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.globalevents.events.Json;
import dev.globalevents.events.testing.RecordingSink;
import dev.globalevents.runtime.web.CloudEventCodec;
import dev.globalevents.runtime.web.CloudEventDecodingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Each chaos kind does exactly what it says to what arrives at a real receiver, and is counted exactly. */
class ChaosTest {

	static final int EVENTS = 400;

	RecordingSink sink;
	GeneratorFixture fixture;

	@BeforeEach
	void setUp() {
		sink = new RecordingSink();
		fixture = new GeneratorFixture(sink, GenerateProperties.ContentMode.BINARY, true);
	}

	@AfterEach
	void tearDown() {
		sink.close();
	}

	@Test
	void withoutChaosEveryEventArrivesOnceValidInBinaryModeWithTheOverrides() {
		fixture.generator.burst(EVENTS);

		assertThat(sink.received()).hasSize(EVENTS);
		assertThat(sink.received()).extracting(r -> r.header("ce-id")).doesNotHaveDuplicates();
		assertThat(sink.received()).allSatisfy(r -> {
			assertThat(r.header("ce-cluster")).isEqualTo("test");
			assertThat(r.header("ce-source")).isEqualTo("/regions/eu-west/instances/gen-test");
			assertThat(Instant.parse(r.header("ce-time"))).isEqualTo(GeneratorFixture.NOW);
		});
		assertThat(fixture.stats.acknowledgedCount()).isEqualTo(EVENTS);
		assertThat(fixture.stats.errorCount()).isZero();
	}

	@Test
	void duplicatesResendTheSameIdAndAreCountedExactly() {
		update("{\"duplicate_share\":0.25}");

		fixture.generator.burst(EVENTS);

		Map<String, Long> perId = sink.received().stream().collect(Collectors.groupingBy(r -> r.header("ce-id"), Collectors.counting()));
		long twice = perId.values().stream().filter(n -> n == 2).count();
		assertThat(perId).hasSize(EVENTS);
		assertThat(perId.values()).allMatch(n -> n <= 2);
		assertThat(twice).isEqualTo(fixture.stats.chaosCount("duplicate")).isBetween(60L, 140L);
	}

	@ParameterizedTest
	@ValueSource(strings = { "broken_json", "missing_field", "wrong_type" })
	void malformedEventsAreBrokenTheWayTheyAreCounted(String kind) {
		update("{\"malformed_share\":0.3,\"malformed_kinds\":[\"" + kind + "\"]}");

		fixture.generator.burst(EVENTS);

		long broken = sink.received().stream().filter(r -> !wellFormed(r)).count();
		assertThat(broken).isEqualTo(fixture.stats.chaosCount("malformed_" + kind)).isBetween(80L, 160L);
		assertThat(sink.received()).hasSize(EVENTS);
	}

	@Test
	void lateOutOfOrderAndSkewedTimesAreShiftedAsCounted() {
		update("{\"late_share\":0.2,\"late_by_s\":120,\"out_of_order_share\":0.2,\"out_of_order_max_s\":20,\"clock_skew_s\":3}");

		fixture.generator.burst(EVENTS);

		Instant skewed = GeneratorFixture.NOW.plusSeconds(3);
		long late = 0;
		long outOfOrder = 0;
		for (RecordingSink.Received r : sink.received()) {
			Instant time = Instant.parse(r.header("ce-time"));
			if (time.equals(skewed.minusSeconds(120))) {
				late++;
			}
			else if (time.isBefore(skewed)) {
				assertThat(time).isBetween(skewed.minusSeconds(21), skewed.minusSeconds(1));
				outOfOrder++;
			}
			else {
				assertThat(time).isEqualTo(skewed);
			}
		}
		assertThat(late).isEqualTo(fixture.stats.chaosCount("late")).isPositive();
		assertThat(outOfOrder).isEqualTo(fixture.stats.chaosCount("out_of_order")).isPositive();
		assertThat(fixture.stats.chaosCount("clock_skew")).isEqualTo(EVENTS);
	}

	@Test
	void errorsSetTheTypesErrorFieldOnlyOnTypesThatHaveOne() {
		// no naturally failed payments, so every failed one is an injected error
		fixture = new GeneratorFixture(sink.url(), GenerateProperties.ContentMode.BINARY, true, 3, java.time.Duration.ofMillis(20),
				Map.of("generate.types[payment.processed].payload.status.values.failed", "0"));
		update("{\"error_share\":0.5}");

		fixture.generator.burst(EVENTS);

		Map<String, Long> failedByType = sink.received().stream()
				.filter(r -> "failed".equals(Json.MAPPER.readTree(r.body()).path("status").asString(null)))
				.collect(Collectors.groupingBy(r -> r.header("ce-type"), Collectors.counting()));
		long payments = sink.received().stream().filter(r -> "payment.processed".equals(r.header("ce-type"))).count();
		assertThat(failedByType).containsOnlyKeys("payment.processed");
		assertThat(failedByType.get("payment.processed")).isEqualTo(fixture.stats.chaosCount("error"))
				.isBetween(payments / 4, payments * 3 / 4);
	}

	@Test
	void aBlackoutSendsNothingAndCountsWhatItHeldBack() {
		update("{\"blackout_seconds\":3600}");

		fixture.generator.burst(50);

		assertThat(sink.requests()).isZero();
		assertThat(fixture.stats.chaosCount("blackout")).isEqualTo(50);
		assertThat(fixture.stats.generatedCount()).isEqualTo(50);
	}

	@Test
	void addedLatencyDelaysEveryRequest() {
		update("{\"latency_ms\":30}");

		fixture.generator.burst(40);

		assertThat(fixture.stats.chaosCount("latency")).isEqualTo(40);
		assertThat((double) fixture.stats.latencies().summary().get("p50")).isGreaterThanOrEqualTo(30.0);
	}

	@Test
	void invalidSettingsAreRefusedWithEveryViolationAndChangeNothing() {
		ChaosSettings before = fixture.chaos.get();

		ChaosControl.Invalid invalid = org.junit.jupiter.api.Assertions.assertThrows(ChaosControl.Invalid.class,
				() -> update("{\"duplicate_share\":1.5,\"malformed_kinds\":[\"gibberish\"]}"));

		assertThat(invalid.violations()).extracting(v -> v.field()).containsExactlyInAnyOrder("/duplicate_share", "/malformed_kinds");
		assertThat(fixture.chaos.get()).isEqualTo(before);
		assertThat(org.junit.jupiter.api.Assertions.assertThrows(ChaosControl.Invalid.class, () -> update("{\"dupes\":1}"))
				.violations().getFirst().field()).isEqualTo("/dupes");
	}

	private void update(String json) {
		fixture.chaos.update(Json.MAPPER.readTree(json), GeneratorFixture.NOW);
	}

	/** Whether a binary-mode request decodes and its data fits the payload schema of its type. */
	static boolean wellFormed(RecordingSink.Received r) {
		Map<String, String> headers = new HashMap<>(r.headers());
		try {
			var inbound = CloudEventCodec.decode(r.header("content-type"), headers, r.body());
			JsonNode data = inbound.events().getFirst().getPayload();
			String type = r.header("ce-type");
			return dev.globalevents.events.EventRegistry.shipped().payloadSchema(type).validate(data, "").isEmpty();
		}
		catch (CloudEventDecodingException e) {
			return false;
		}
	}

	static List<String> ids(RecordingSink sink) {
		return sink.received().stream().map(r -> r.header("ce-id")).toList();
	}
}

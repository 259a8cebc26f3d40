package dev.globalevents.generate;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.globalevents.events.Json;
import dev.globalevents.events.testing.RecordingSink;
import dev.globalevents.events.testing.RedisServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Pacing, retries and the load-test report, against a real local HTTP receiver. */
class SendingTest {

	@Test
	void theConfiguredRateIsHeldWithinFivePercentOverTenSeconds() {
		try (RecordingSink sink = new RecordingSink()) {
			GeneratorFixture fixture = new GeneratorFixture(sink, GenerateProperties.ContentMode.BINARY, false);
			long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();

			fixture.generator.run(() -> 200, () -> System.nanoTime() < end);
			fixture.generator.awaitAnswers();

			assertThat((double) sink.received().size()).isCloseTo(2000, within(100.0));
			assertThat(fixture.stats.acknowledgedCount()).isEqualTo(sink.received().size());
		}
	}

	@Test
	void aBurstMultipliesTheRateForItsDurationAndCountsItsEvents() {
		try (RecordingSink sink = new RecordingSink()) {
			GeneratorFixture fixture = new GeneratorFixture(sink, GenerateProperties.ContentMode.BINARY, false);
			fixture.chaos.update(Json.MAPPER.readTree("{\"burst_factor\":4,\"burst_seconds\":1}"), java.time.Instant.now());
			long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();

			fixture.generator.run(() -> 50, () -> System.nanoTime() < end);
			fixture.generator.awaitAnswers();

			// 1 s at 4 x 50/s, then 1 s at 50/s
			assertThat((double) fixture.stats.chaosCount("burst")).isCloseTo(200, within(20.0));
			assertThat((double) sink.received().size()).isCloseTo(250, within(25.0));
		}
	}

	@Test
	void aSteadyTickPacesItsEventsAtTheRateWhereABurstSendsThemAtOnce() {
		try (RecordingSink sink = new RecordingSink()) {
			GeneratorFixture fixture = new GeneratorFixture(sink, GenerateProperties.ContentMode.BINARY, false);
			long started = System.nanoTime();
			fixture.generator.paced(40, 20);
			double pacedSeconds = (System.nanoTime() - started) / 1e9;
			started = System.nanoTime();
			fixture.generator.burst(40);
			double burstSeconds = (System.nanoTime() - started) / 1e9;

			assertThat(sink.received()).hasSize(80);
			assertThat(pacedSeconds).as("40 events at 20/s").isBetween(1.8, 4.0);
			assertThat(burstSeconds).isLessThan(pacedSeconds / 2);
		}
	}

	@Test
	void batchModeCarriesEveryEventInBatchesOfTheConfiguredSize() {
		try (RecordingSink sink = new RecordingSink()) {
			GeneratorFixture fixture = new GeneratorFixture(sink, GenerateProperties.ContentMode.BATCH, true);

			fixture.generator.burst(95);

			long events = sink.received().stream().mapToLong(r -> Json.MAPPER.readTree(r.body()).size()).sum();
			assertThat(events).isEqualTo(95);
			assertThat(sink.received()).hasSize(10).allSatisfy(r ->
					assertThat(r.header("content-type")).isEqualTo("application/cloudevents-batch+json"));
			assertThat(fixture.stats.acknowledgedCount()).isEqualTo(95);
		}
	}

	@Test
	void aSinkThatIsDownIsRetriedWithBackoffAndReportedNeverSkipped() {
		int unusedPort = RedisServer.freePort();
		GeneratorFixture down = new GeneratorFixture("http://127.0.0.1:" + unusedPort + "/", GenerateProperties.ContentMode.BINARY,
				true, 2, Duration.ofMillis(10), Map.of());

		down.generator.burst(5);

		assertThat(down.stats.errorCount()).isEqualTo(5);
		assertThat(down.stats.acknowledgedCount()).isZero();
		assertThat(down.stats.snapshot()).containsEntry("retries", 10L).containsEntry("failed", 5L);
	}

	@Test
	void aSinkThatRecoversGetsEveryEventAfterRetries() {
		try (RecordingSink sink = new RecordingSink()) {
			sink.answer(n -> n < 3 ? 503 : 202);
			GeneratorFixture fixture = new GeneratorFixture(sink, GenerateProperties.ContentMode.BINARY, true);

			fixture.generator.burst(20);

			assertThat(sink.received()).hasSize(20);
			assertThat(fixture.stats.acknowledgedCount()).isEqualTo(20);
			assertThat(fixture.stats.snapshot()).containsEntry("retries", 3L);
		}
	}

	@Test
	void theLoadTestReportsExactTotalsAndPercentilesOfAReceiverWithKnownDelays() {
		try (RecordingSink sink = new RecordingSink()) {
			sink.delay(n -> n % 10 == 9 ? 150 : 20);
			GeneratorFixture fixture = new GeneratorFixture(sink, GenerateProperties.ContentMode.BINARY, false);
			ByteArrayOutputStream out = new ByteArrayOutputStream();

			int exit = new LoadTest(fixture.generator, fixture.stats, sink.url(), 100, Duration.ofSeconds(3), 0.01,
					new PrintStream(out, true, StandardCharsets.UTF_8)).run();

			Map<String, Object> latency = fixture.stats.latencies().summary();
			assertThat(exit).isZero();
			assertThat(fixture.stats.generatedCount()).isEqualTo(sink.received().size()).isEqualTo(fixture.stats.acknowledgedCount())
					.isBetween(270L, 330L);
			assertThat((double) latency.get("p50")).isBetween(20.0, 100.0);
			assertThat((double) latency.get("p95")).isGreaterThanOrEqualTo(150.0);
			assertThat((double) latency.get("max")).isGreaterThanOrEqualTo(150.0).isLessThan(1000.0);
			String report = out.toString(StandardCharsets.UTF_8);
			assertThat(report).contains("[load]   1s  sent").contains("send latency ms {count=" + sink.received().size())
					.contains("PASS");
		}
	}

	@Test
	void theLoadTestFailsWhenErrorsExceedTheThreshold() {
		try (RecordingSink sink = new RecordingSink()) {
			sink.answer(n -> n % 2 == 0 ? 400 : 202);
			GeneratorFixture fixture = new GeneratorFixture(sink, GenerateProperties.ContentMode.BINARY, false);
			ByteArrayOutputStream out = new ByteArrayOutputStream();

			int exit = new LoadTest(fixture.generator, fixture.stats, sink.url(), 100, Duration.ofSeconds(1), 0.1,
					new PrintStream(out, true, StandardCharsets.UTF_8)).run();

			assertThat(exit).isEqualTo(1);
			assertThat(out.toString(StandardCharsets.UTF_8)).contains("rejected {400=").contains("FAIL");
			assertThat(fixture.stats.errorCount() + fixture.stats.acknowledgedCount()).isEqualTo(fixture.stats.generatedCount());
		}
	}
}

package dev.globalevents.aggregate;

import dev.globalevents.aggregate.windows.WindowSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.LatencyHistogram;
import dev.globalevents.events.testing.RecordingSink;
import dev.globalevents.runtime.web.Outcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many writers on the same windows: threads of two instances (each with its own Redis connection, as two pods
 * have), every event delivered twice in different batches; totals and histogram buckets must be exact. Two
 * instances racing to close and emit must emit every window exactly once.
 */
class ConcurrentAggregationTest extends RedisTest {


	@BeforeEach
	void flush() throws Exception {
		try (var fixture = new AggregateFixture(server.url(), new MutableClock(AggregateFixture.T0), null)) {
			fixture.redis.async().toCompletableFuture().join().flushall().get();
		}
	}

	@Test
	void concurrentWritersFromTwoInstancesGiveExactTotalsAndHistograms() throws Exception {
		MutableClock clock = new MutableClock(AggregateFixture.T0.plusSeconds(35));
		Random random = new Random(7);
		List<ObjectNode> events = new ArrayList<>();
		Map<Long, LatencyHistogram> expected = new HashMap<>();
		Map<Long, Integer> expectedCounts = new HashMap<>();
		for (int i = 0; i < 6_000; i++) {
			Instant time = AggregateFixture.T0.plusMillis(random.nextInt(30_000));
			events.add(AggregateFixture.validated(time));
			long window = Math.floorDiv(time.toEpochMilli(), 10_000) * 10_000;
			expected.computeIfAbsent(window, w -> new LatencyHistogram()).record(clock.millis() - time.toEpochMilli());
			expectedCounts.merge(window, 1, Integer::sum);
		}
		List<ObjectNode> deliveries = new ArrayList<>(events);
		deliveries.addAll(events);
		Collections.shuffle(deliveries, random);

		try (var a = new AggregateFixture(server.url(), clock, null); var b = new AggregateFixture(server.url(), clock, null);
				ExecutorService pool = Executors.newFixedThreadPool(16)) {
			List<Callable<Outcome>> batches = new ArrayList<>();
			for (int from = 0; from < deliveries.size(); from += 50) {
				List<ObjectNode> batch = deliveries.subList(from, Math.min(from + 50, deliveries.size()));
				AggregateFixture instance = (from / 50) % 2 == 0 ? a : b;
				batches.add(() -> instance.function.apply(AggregateFixture.batch(batch)).block());
			}
			for (Future<Outcome> outcome : pool.invokeAll(batches)) {
				assertThat(outcome.get()).isInstanceOf(Outcome.Ack.class);
			}

			for (Map.Entry<Long, LatencyHistogram> window : expected.entrySet()) {
				WindowSnapshot snapshot = a.store.read(window.getKey()).block();
				assertThat(snapshot.total().count()).isEqualTo(expectedCounts.get(window.getKey()).longValue());
				assertThat(snapshot.total().e2e()).isEqualTo(window.getValue());
			}
			double duplicates = a.registry.get("aggregate.events").tag("result", "duplicate").counter().count()
					+ b.registry.get("aggregate.events").tag("result", "duplicate").counter().count();
			assertThat(duplicates).isEqualTo(6_000);
		}
	}

	@Test
	void twoInstancesRacingToCloseAndEmitEmitEveryWindowExactlyOnce() throws Exception {
		MutableClock clock = new MutableClock(AggregateFixture.T0);
		try (RecordingSink sink = new RecordingSink();
				var a = new AggregateFixture(server.url(), clock, sink.url());
				var b = new AggregateFixture(server.url(), clock, sink.url());
				ExecutorService pool = Executors.newFixedThreadPool(8)) {
			List<ObjectNode> events = new ArrayList<>();
			for (int w = 0; w < 20; w++) {
				events.add(AggregateFixture.validated(AggregateFixture.T0.plusSeconds(10L * w + 1)));
			}
			a.function.apply(AggregateFixture.batch(events)).block();
			clock.advance(Duration.ofSeconds(10 * 20 + 31));

			List<Callable<Object>> ticks = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				AggregateFixture instance = i % 2 == 0 ? a : b;
				ticks.add(() -> instance.emitter.tick().block());
			}
			for (Future<Object> tick : pool.invokeAll(ticks)) {
				tick.get();
			}

			var metrics = sink.received().stream().filter(r -> CloudEventTypes.METRICS_WINDOW.equals(r.header("ce-type"))).toList();
			var summaries = sink.received().stream().filter(r -> CloudEventTypes.SYNC_SUMMARY.equals(r.header("ce-type"))).toList();
			assertThat(metrics).extracting(r -> r.header("ce-id")).hasSize(20).doesNotHaveDuplicates();
			assertThat(metrics).allSatisfy(r -> assertThat(new String(r.body())).contains("\"event_count\":1"));
			assertThat(summaries).extracting(r -> r.header("ce-id")).hasSize(20).doesNotHaveDuplicates();
		}
	}

}

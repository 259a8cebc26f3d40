package dev.globalevents.aggregate;

import dev.globalevents.aggregate.sync.GlobalQuery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Json;
import dev.globalevents.events.Metrics;
import dev.globalevents.events.WindowSummary;
import dev.globalevents.events.testing.TestEvents;
import dev.globalevents.runtime.web.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Peer window summaries merged into the global view, through the function, against a real redis-server. */
class GlobalSyncTest extends RedisTest {

	MutableClock clock;
	AggregateFixture aggregate;

	@BeforeEach
	void setUp() throws Exception {
		clock = new MutableClock(AggregateFixture.T0.plusSeconds(15));
		aggregate = new AggregateFixture(server.url(), clock, null);
		flush();
	}

	@AfterEach
	void tearDown() {
		aggregate.close();
	}

	@ParameterizedTest
	@ValueSource(longs = { 1, 2, 3 })
	void shuffledRepeatedAndSupersededSummariesAlwaysMergeToTheLatestVersion(long seed) throws Exception {
		Random random = new Random(seed);
		Map<Long, Map<String, WindowSummary>> expected = new TreeMap<>();
		List<WindowSummary> deliveries = new ArrayList<>();
		for (String region : List.of("eu-west", "ap-south")) {
			for (int w = 0; w < 5; w++) {
				WindowSummary first = summary(region, w, 41_000, random);
				WindowSummary rebuilt = summary(region, w, 95_000, random);
				expected.computeIfAbsent(start(w), k -> new TreeMap<>()).put(region, rebuilt);
				for (int copies = 1 + random.nextInt(3); copies > 0; copies--) {
					deliveries.add(first);
					deliveries.add(rebuilt);
				}
			}
		}
		Collections.shuffle(deliveries, random);

		for (int i = 0; i < deliveries.size();) {
			int size = Math.min(deliveries.size() - i, 1 + random.nextInt(4));
			Outcome outcome = aggregate.merge.apply(AggregateFixture.batch(deliveries.subList(i, i + size).stream()
					.map(GlobalSyncTest::envelope).toList())).block();
			assertThat(outcome).isInstanceOf(Outcome.Ack.class);
			i += size;
		}

		assertThat(new TreeMap<>(aggregate.global.recent(100).block())).isEqualTo(expected);
		assertThat(aggregate.registry.get("aggregate.summaries").tag("result", "merged").counter().count())
				.isBetween(10.0, 20.0);
	}

	@Test
	void theGlobalViewSumsRegionsNamesMissingOnesAndShowsFreshness() {
		aggregate.function.apply(AggregateFixture.batch(List.of(
				AggregateFixture.validated(AggregateFixture.T0.plusSeconds(1)),
				AggregateFixture.validated(AggregateFixture.T0.plusSeconds(2))))).block();
		clock.advance(Duration.ofSeconds(25));
		aggregate.emitter.tick().block();
		WindowSummary peer = summary("eu-west", 0, 41_000, new Random(7));
		aggregate.merge.apply(AggregateFixture.single(envelope(peer))).block();
		GlobalQuery query = new GlobalQuery(aggregate.global, aggregate.windows, Duration.ofSeconds(90), clock);

		JsonNode view = Json.MAPPER.valueToTree(query.view(aggregate.global.recent(6).block(),
				aggregate.global.freshness().block(), clock.millis()));

		long peerCount = peer.types().values().stream().mapToLong(WindowSummary.TypeSummary::count).sum();
		assertThat(view.at("/windows/0/total/count").asLong()).isEqualTo(2 + peerCount);
		assertThat(view.at("/windows/0/regions/us-east/count").asLong()).isEqualTo(2);
		assertThat(view.at("/windows/0/missing").toString()).isEqualTo("[\"ap-south\"]");
		assertThat(view.at("/regions/us-east/status").asString()).isEqualTo("fresh");
		assertThat(view.at("/regions/eu-west/status").asString()).isEqualTo("fresh");
		assertThat(view.at("/regions/ap-south/status").asString()).isEqualTo("never");

		JsonNode later = Json.MAPPER.valueToTree(query.view(aggregate.global.recent(6).block(),
				aggregate.global.freshness().block(), clock.millis() + 120_000));

		assertThat(later.at("/regions/eu-west/status").asString()).isEqualTo("stale");
		assertThat(later.at("/windows/0/total/count").asLong()).isEqualTo(2 + peerCount);
	}

	@Test
	void summariesThatCannotBeMergedAreRejectedWithTheReasonAndChangeNothing() {
		ObjectNode badBucket = envelope(Json.MAPPER.treeToValue(TestEvents.summary("bucket_out_of_range"), WindowSummary.class));
		WindowSummary good = summary("eu-west", 0, 41_000, new Random(1));
		WindowSummary fiveSeconds = new WindowSummary("eu-west", new Metrics.Window(AggregateFixture.T0.toString(),
				AggregateFixture.T0.plusSeconds(5).toString()), good.closedAt(), good.types());

		Outcome schema = aggregate.merge.apply(AggregateFixture.single(badBucket)).block();
		Outcome mismatch = aggregate.merge.apply(AggregateFixture.batch(List.of(envelope(good), envelope(fiveSeconds)))).block();

		assertThat(schema).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
			assertThat(r.problem().status()).isEqualTo(400);
			assertThat(r.problem().violations()).extracting(v -> v.field()).contains("/data/types/order.created/e2e");
		});
		assertThat(mismatch).isInstanceOfSatisfying(Outcome.Rejected.class,
				r -> assertThat(r.problem().code()).isEqualTo("window-mismatch"));
		assertThat(aggregate.global.recent(10).block()).isEmpty();
	}

	static long start(int window) {
		return AggregateFixture.T0.toEpochMilli() + window * 10_000L;
	}

	static WindowSummary summary(String region, int window, long closedAfterMillis, Random random) {
		Map<String, WindowSummary.TypeSummary> types = new TreeMap<>();
		for (String type : List.of("order.created", "page.view")) {
			Map<Integer, Long> e2e = new TreeMap<>();
			long count = 0;
			for (int i = 0; i < 3; i++) {
				long n = 1 + random.nextInt(50);
				e2e.merge(random.nextInt(60), n, Long::sum);
				count += n;
			}
			types.put(type, new WindowSummary.TypeSummary(count, random.nextInt((int) count), count * 1500,
					e2e, Map.of(random.nextInt(20), count), count * 800));
		}
		Instant start = Instant.ofEpochMilli(start(window));
		return new WindowSummary(region, new Metrics.Window(start.toString(), start.plusSeconds(10).toString()),
				start.plusMillis(closedAfterMillis).toString(), types);
	}

	static ObjectNode envelope(WindowSummary summary) {
		ObjectNode envelope = Json.MAPPER.createObjectNode().put("specversion", "1.0")
				.put("id", "summary-" + summary.window().start() + "-" + summary.closedAt())
				.put("source", "/aggregate/" + summary.region()).put("type", CloudEventTypes.SYNC_SUMMARY)
				.put("region", summary.region());
		envelope.set("data", Json.MAPPER.valueToTree(summary));
		return envelope;
	}

	private void flush() throws Exception {
		aggregate.redis.async().toCompletableFuture().join().flushall().get();
	}
}

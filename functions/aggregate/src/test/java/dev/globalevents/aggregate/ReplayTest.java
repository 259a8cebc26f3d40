package dev.globalevents.aggregate;

import dev.globalevents.aggregate.config.AggregateKeys;
import dev.globalevents.aggregate.replay.InProcessSender;
import dev.globalevents.aggregate.replay.RedisReplayLog;
import dev.globalevents.aggregate.replay.ReplayHandler;
import dev.globalevents.aggregate.replay.ReplayJobs;
import dev.globalevents.aggregate.replay.ReplayRequest;
import dev.globalevents.aggregate.replay.Replays;
import dev.globalevents.runtime.web.RejectedInput;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.events.Json;
import dev.globalevents.events.testing.TestEvents;
import dev.globalevents.runtime.web.CloudEventSender;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.ScanArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.RouterFunctions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Replays of retained events, against a real redis-server: rebuilds, no double counting, filters, cancel. */
class ReplayTest extends RedisTest {

	static final Instant FROM = AggregateFixture.T0;
	static final Instant TO = AggregateFixture.T0.plusSeconds(30);

	MutableClock clock;
	AggregateFixture aggregate;

	@BeforeEach
	void setUp() throws Exception {
		clock = new MutableClock(AggregateFixture.T0.plusSeconds(5));
		aggregate = new AggregateFixture(server.url(), clock, null);
		aggregate.redis.async().toCompletableFuture().join().flushall().get();
	}

	@AfterEach
	void tearDown() {
		aggregate.close();
	}

	@Test
	void replayingARangeIntoAClearedStoreRebuildsTheSameAggregates() throws Exception {
		int events = aggregateHistory(new Random(42));
		Map<String, Object> before = aggregates();

		deleteKeys("agg:*", new AggregateKeys("us-east").retained()); // everything counted, but not the retained events
		deleteKeys("glob:*", "");
		assertThat(aggregates()).isNotEqualTo(before);
		Map<String, Object> replay = replay(Map.of());
		closeAll();

		assertThat(replay).containsEntry("state", "done").containsEntry("matched", (long) events).containsEntry("sent", (long) events);
		assertThat(aggregates()).isEqualTo(before);
	}

	@Test
	void replayingIntoTheStoreThatCountedThemChangesNothing() {
		int events = aggregateHistory(new Random(7));
		Map<String, Object> before = aggregates();

		Map<String, Object> replay = replay(Map.of());
		closeAll();

		assertThat(replay).containsEntry("state", "done").containsEntry("sent", (long) events);
		assertThat(aggregate.registry.get("aggregate.events").tag("result", "duplicate").counter().count()).isEqualTo(events);
		assertThat(aggregates()).isEqualTo(before);
	}

	@Test
	void filtersSelectByEventTimeRegionAndTypeAndReplayedEventsAreMarked() {
		aggregateHistory(new Random(3));
		List<Map<String, Object>> sent = new ArrayList<>();
		CloudEventSender recording = message -> Mono.fromRunnable(() -> {
			synchronized (sent) {
				sent.add(Map.of("data", Json.MAPPER.valueToTree(message.getPayload()), "headers", message.getHeaders()));
			}
		});

		Map<String, Object> status = run(aggregate.replays(recording), Map.of("from", FROM.plusSeconds(10).toString(),
				"to", FROM.plusSeconds(20).toString(), "region", "EU_West", "type", "payment.processed"));

		assertThat(status).containsEntry("state", "done");
		assertThat((long) status.get("matched")).isPositive().isEqualTo(sent.size());
		assertThat(sent).allSatisfy(event -> {
			JsonNode data = (JsonNode) event.get("data");
			Map<?, ?> headers = (Map<?, ?>) event.get("headers");
			assertThat(data.get("type").asString()).isEqualTo("payment.processed");
			assertThat(data.at("/source/region").asString()).isEqualTo("eu-west");
			assertThat(Instant.parse(data.get("timestamp").asString())).isBetween(FROM.plusSeconds(10), FROM.plusSeconds(20));
			assertThat(headers.get("ce-" + CloudEventAttributes.REPLAYED)).isEqualTo("true");
			assertThat(headers.get("ce-" + CloudEventAttributes.ARRIVED_AT)).isNotNull();
			assertThat(headers.get("ce-" + CloudEventAttributes.VALIDATED_AT)).isNotNull();
		});
	}

	@Test
	void aReplayCanBeCancelledAndShowsHowFarItGot() throws Exception {
		aggregateHistory(new Random(5));
		CountDownLatch release = new CountDownLatch(1);
		CloudEventSender slow = message -> Mono.fromCallable(() -> release.await(10, TimeUnit.SECONDS))
				.subscribeOn(Schedulers.boundedElastic()).then();
		Replays replays = aggregate.replays(slow, 5);
		String id = replays.start(ReplayRequest.parse(request(Map.of()))).block().get("id");

		assertThat(aggregate.jobs.cancel(id).block()).isTrue();
		release.countDown();

		await().atMost(Duration.ofSeconds(10)).until(() -> !"running".equals(aggregate.jobs.get(id).block().get("state")));
		Map<String, String> status = aggregate.jobs.get(id).block();
		assertThat(status.get("state")).isEqualTo("cancelled");
		assertThat(Long.parseLong(status.get("scanned"))).isPositive().isLessThan(Long.parseLong(status.get("total")));
		assertThat(aggregate.jobs.cancel(id).block()).isFalse();
	}

	@Test
	void theAnswerToAStartedReplayIsTheStatusItRecordedNotASecondReadThatABusyRedisCanFail() throws Exception {
		int events = aggregateHistory(new Random(11));
		ReplayJobs unreadable = new UnreadableJobs(aggregate.jobs);
		Replays replays = new Replays(new RedisReplayLog(aggregate.redis, AggregateFixture.KEYS), unreadable,
				new InProcessSender(aggregate.function), Duration.ofMinutes(5), 500, 16, java.time.Clock.systemUTC());
		ReplayHandler handler = new ReplayHandler(replays, unreadable, Duration.ofSeconds(60), clock);
		MockServerWebExchange post = MockServerWebExchange.from(MockServerHttpRequest.post("/replays")
				.contentType(MediaType.APPLICATION_JSON).body(Json.MAPPER.writeValueAsString(request(Map.of()))));

		RouterFunctions.toWebHandler(handler.routes()).handle(post).block();

		assertThat(post.getResponse().getStatusCode().value()).isEqualTo(202);
		String id = post.getResponse().getHeaders().getLocation().getPath().substring("/replays/".length());
		await().atMost(Duration.ofSeconds(20)).until(() -> "done".equals(aggregate.jobs.get(id).block().get("state")));
		assertThat(aggregate.jobs.get(id).block()).containsEntry("sent", Integer.toString(events));
	}

	/** Replay status whose reads fail as a busy Redis' do (a command timeout); writes go through. */
	private record UnreadableJobs(ReplayJobs jobs) implements ReplayJobs {

		public Mono<Map<String, String>> start(String id, ReplayRequest request, long total, long nowMillis) {
			return jobs.start(id, request, total, nowMillis);
		}

		public Mono<Boolean> progress(String id, Progress batch, String cursor, long nowMillis) {
			return jobs.progress(id, batch, cursor, nowMillis);
		}

		public Mono<Void> finish(String id, String state, String error, long nowMillis) {
			return jobs.finish(id, state, error, nowMillis);
		}

		public Mono<Boolean> cancel(String id) {
			return jobs.cancel(id);
		}

		public Mono<Map<String, String>> get(String id) {
			return Mono.error(new RedisCommandTimeoutException("HGETALL. Command timed out after 500 millisecond(s)"));
		}

		public Mono<List<Map<String, String>>> recent(int max) {
			return jobs.recent(max);
		}
	}

	@Test
	void retainedEventsOlderThanTheRetentionAreTrimmed() throws Exception {
		try (AggregateFixture shortRetention = new AggregateFixture(server.url(), clock, null, Duration.ofSeconds(1))) {
			var commands = shortRetention.redis.async().toCompletableFuture().join();
			shortRetention.function.apply(AggregateFixture.batch(List.of(AggregateFixture.validated(FROM.plusSeconds(1)),
					AggregateFixture.validated(FROM.plusSeconds(2))))).block();
			long firstBatchAt = redisMillis(commands.time().get());
			assertThat(commands.xlen(new AggregateKeys("us-east").retained()).get()).isEqualTo(2);

			await().atMost(Duration.ofSeconds(5)).until(() -> redisMillis(commands.time().get()) > firstBatchAt + 1200);
			shortRetention.function.apply(AggregateFixture.single(AggregateFixture.validated(FROM.plusSeconds(3)))).block();
			assertThat(commands.xlen(new AggregateKeys("us-east").retained()).get()).isEqualTo(3);
			shortRetention.emitter.tick().block();

			assertThat(commands.xlen(new AggregateKeys("us-east").retained()).get()).isEqualTo(1);
		}
	}

	private static long redisMillis(List<String> time) {
		return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
	}

	@Test
	void badReplayRequestsAreRefusedWithTheField() {
		assertThat(refusal(Map.of("from", FROM.toString()))).isEqualTo("/to");
		assertThat(refusal(Map.of("from", TO.toString(), "to", FROM.toString()))).isEqualTo("/to");
		assertThat(refusal(Map.of("from", "yesterday", "to", TO.toString()))).isEqualTo("/from");
		assertThat(refusal(Map.of("from", FROM.toString(), "to", TO.toString(), "region", "mars"))).isEqualTo("/region");
	}

	/** Aggregates events of several types, regions and arrival times over three windows; returns how many. */
	private int aggregateHistory(Random random) {
		List<JsonNode> kinds = List.of(TestEvents.ORDER_CREATED_FULL.validated(), TestEvents.PAYMENT_PROCESSED_EU.validated(),
				TestEvents.SENSOR_READING_MINIMAL.validated());
		int total = 0;
		for (int second = 0; second < 30; second += 2) {
			List<ObjectNode> batch = new ArrayList<>();
			for (int i = 0; i < 1 + random.nextInt(6); i++) {
				ObjectNode event = AggregateFixture.validated(kinds.get(random.nextInt(kinds.size())), UUID.randomUUID().toString(),
						FROM.plusMillis(second * 1000L + random.nextInt(2000)));
				event.put(CloudEventAttributes.VALIDATED_AT, clock.instant().minusMillis(random.nextInt(40)).toString());
				batch.add(event);
			}
			total += batch.size();
			aggregate.function.apply(AggregateFixture.batch(batch)).block();
			clock.advance(Duration.ofMillis(1500 + random.nextInt(1000)));
		}
		closeAll();
		return total;
	}

	private void closeAll() {
		clock.advance(Duration.ofMinutes(2));
		aggregate.emitter.tick().block();
		clock.advance(Duration.ofSeconds(1));
	}

	/** Every window's per-type figures, the late counters and the global view's figures: what a rebuild must restore. */
	private Map<String, Object> aggregates() {
		Map<String, Object> all = new java.util.TreeMap<>();
		for (int w = 0; w < 4; w++) {
			long start = FROM.toEpochMilli() + w * 10_000L;
			all.put("window " + w, aggregate.store.read(start).block().types());
		}
		all.put("late", hgetall(new AggregateKeys("us-east").late()));
		aggregate.global.recent(10).block().forEach((start, regions) -> regions.forEach((region, summary) ->
				all.put("global " + start + " " + region, summary.types())));
		return all;
	}

	private Map<String, Object> replay(Map<String, String> fields) {
		return run(aggregate.replays(new InProcessSender(aggregate.function)), fields);
	}

	private Map<String, Object> run(Replays replays, Map<String, String> fields) {
		String id = replays.start(ReplayRequest.parse(request(fields))).block().get("id");
		await().atMost(Duration.ofSeconds(20)).until(() -> !"running".equals(aggregate.jobs.get(id).block().get("state")));
		Map<String, Object> status = new java.util.HashMap<>();
		aggregate.jobs.get(id).block().forEach((k, v) -> status.put(k, v.matches("\\d+") ? (Object) Long.parseLong(v) : v));
		return status;
	}

	private static JsonNode request(Map<String, String> fields) {
		ObjectNode body = Json.MAPPER.createObjectNode().put("from", FROM.toString()).put("to", TO.toString());
		fields.forEach(body::put);
		return body;
	}

	private static String refusal(Map<String, String> fields) {
		ObjectNode body = Json.MAPPER.createObjectNode();
		fields.forEach(body::put);
		try {
			ReplayRequest.parse(body);
			return null;
		}
		catch (RejectedInput e) {
			return e.problem().violations().get(0).field();
		}
	}

	private void deleteKeys(String pattern, String except) throws Exception {
		var commands = aggregate.redis.async().toCompletableFuture().join();
		for (String key : commands.scan(ScanArgs.Builder.matches(pattern).limit(10_000)).get().getKeys()) {
			if (!key.equals(except)) {
				commands.del(key).get();
			}
		}
	}

	private Map<String, String> hgetall(String key) {
		try {
			return aggregate.redis.async().toCompletableFuture().join().hgetall(key).get();
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}
}

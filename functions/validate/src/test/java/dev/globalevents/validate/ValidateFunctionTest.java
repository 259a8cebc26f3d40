package dev.globalevents.validate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Json;
import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.events.testing.RedisServer;
import dev.globalevents.events.testing.TestEvents;
import dev.globalevents.runtime.web.CloudEventCodec;
import dev.globalevents.runtime.web.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The function by {@code .apply()}, without Spring, de-duplicating against a real redis-server. */
class ValidateFunctionTest {

	static RedisServer server;
	static RedisConnection redis;

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@BeforeAll
	static void startRedis() {
		server = RedisServer.started();
		redis = new RedisConnection(server.url(), Duration.ofMillis(500));
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
		server.close();
	}

	private ValidateFunction function(RedisConnection connection) {
		return new ValidateFunction(TestConfig.validator(), new RedisDeduplicator(connection, Duration.ofHours(1), new ValidateKeys("us-east")),
				new ValidateMetrics(registry), java.time.Clock.systemUTC());
	}

	@Test
	void newEventIsForwardedAsValidatedAndItsDuplicateAnsweredWithTheSameValidatedEventCountedAsDuplicate() {
		var validate = function(redis);
		var event = single(TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString()));

		Outcome first = validate.apply(event).block();
		Outcome second = validate.apply(event).block();

		assertThat(first).isInstanceOfSatisfying(Outcome.Reply.class, reply -> {
			assertThat(CloudEventCodec.replyHeaders(reply.event())).containsEntry("ce-type", CloudEventTypes.EVENT_VALIDATED)
					.containsEntry("ce-eventtype", "order.created").containsEntry("ce-source", "/regions/us-east/instances/gen-1")
					.containsEntry("ce-time", "2026-05-31T12:00:00.250Z");
		});
		// an idempotent reply: a broker retry after a lost first answer still carries the event on to aggregate
		assertThat(second).isInstanceOfSatisfying(Outcome.Reply.class, reply -> {
			Map<String, String> headers = CloudEventCodec.replyHeaders(reply.event());
			Map<String, String> firstHeaders = CloudEventCodec.replyHeaders(((Outcome.Reply) first).event());
			assertThat(headers.get("ce-id")).isEqualTo(firstHeaders.get("ce-id"));
			assertThat(headers.get("ce-source")).isEqualTo(firstHeaders.get("ce-source"));
			assertThat(reply.event().getPayload()).isEqualTo(((Outcome.Reply) first).event().getPayload());
		});
		assertThat(registry.get("validate.events").tag("outcome", "accepted").counter().count()).isEqualTo(1);
		assertThat(registry.get("validate.events").tag("outcome", "duplicate").counter().count()).isEqualTo(1);
	}

	@Test
	void concurrentDeliveriesOfOneEventAreAcceptedOnceAndEachAnsweredWithTheValidatedEvent() throws Exception {
		var validate = function(redis);
		var event = single(TestEvents.withId(TestEvents.SENSOR_READING_MINIMAL, UUID.randomUUID().toString()));
		List<Callable<Outcome>> deliveries = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			deliveries.add(() -> validate.apply(event).block());
		}

		List<Outcome> outcomes = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
			for (Future<Outcome> f : pool.invokeAll(deliveries)) {
				outcomes.add(f.get());
			}
		}

		assertThat(outcomes).hasSize(64).allMatch(o -> o instanceof Outcome.Reply);
		assertThat(registry.get("validate.events").tag("outcome", "accepted").counter().count()).isEqualTo(1);
		assertThat(registry.get("validate.events").tag("outcome", "duplicate").counter().count()).isEqualTo(63);
	}

	@Test
	void batchWithADuplicateInsideAnswersEveryEntryAndCountsTheRepeatAsADuplicate() {
		String id = UUID.randomUUID().toString();
		var batch = batch(TestEvents.withId(TestEvents.ORDER_CREATED_FULL, id),
				TestEvents.withId(TestEvents.PAYMENT_PROCESSED_EU, UUID.randomUUID().toString()),
				TestEvents.withId(TestEvents.ORDER_CREATED_FULL, id));

		Outcome outcome = function(redis).apply(batch).block();

		assertThat(outcome).isInstanceOfSatisfying(Outcome.BatchReply.class,
				reply -> assertThat(reply.events()).extracting(m -> m.getHeaders().get("ce-eventtype"))
						.containsExactly("order.created", "payment.processed", "order.created"));
		assertThat(registry.get("validate.events").tag("outcome", "accepted").counter().count()).isEqualTo(2);
		assertThat(registry.get("validate.events").tag("outcome", "duplicate").counter().count()).isEqualTo(1);
	}

	@Test
	void batchWithOneInvalidEntryIsRejectedWholeAndMarksNothingSeen() {
		ObjectNode good = TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString());
		var validate = function(redis);

		Outcome rejected = validate.apply(batch(good, TestEvents.ID_NOT_UUID.structured())).block();
		Outcome retried = validate.apply(batch(good)).block();

		assertThat(rejected).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
			assertThat(r.problem().status()).isEqualTo(400);
			assertThat(r.problem().violations()).extracting(v -> v.field()).containsExactly("/1/id");
		});
		assertThat(retried).isInstanceOfSatisfying(Outcome.BatchReply.class, r -> assertThat(r.events()).hasSize(1));
	}

	@Test
	void redisUnreachableAnswersUnavailableNeverAccepted() {
		RedisServer down = new RedisServer();
		try (RedisConnection unreachable = new RedisConnection(down.url(), Duration.ofMillis(300))) {
			var event = single(TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString()));

			Outcome outcome = function(unreachable).apply(event).block();

			assertThat(outcome).isInstanceOfSatisfying(Outcome.Unavailable.class,
					u -> assertThat(u.problem().status()).isEqualTo(503));
			assertThat(registry.get("validate.events").tag("outcome", "unavailable").counter().count()).isEqualTo(1);
		}
	}

	@Test
	void redisThatGoesAwayAndComesBackIsUsedAgain() {
		RedisServer flaky = RedisServer.started();
		try (RedisConnection connection = new RedisConnection(flaky.url(), Duration.ofMillis(300))) {
			var validate = function(connection);
			assertThat(validate.apply(single(TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString())))
					.block()).isInstanceOf(Outcome.Reply.class);

			flaky.stop();
			assertThat(validate.apply(single(TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString())))
					.block()).isInstanceOf(Outcome.Unavailable.class);

			flaky.start();
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> validate
					.apply(single(TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString())))
					.block() instanceof Outcome.Reply);
		}
		finally {
			flaky.close();
		}
	}

	private static CloudEventCodec.Inbound single(ObjectNode envelope) {
		return CloudEventCodec.decode(CloudEventCodec.STRUCTURED, Map.of(), Json.MAPPER.writeValueAsBytes(envelope));
	}

	private static CloudEventCodec.Inbound batch(ObjectNode... envelopes) {
		return CloudEventCodec.decode(CloudEventCodec.BATCH, Map.of(), Json.MAPPER.writeValueAsBytes(List.of(envelopes)));
	}
}

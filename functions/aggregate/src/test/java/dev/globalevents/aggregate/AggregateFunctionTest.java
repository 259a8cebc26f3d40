package dev.globalevents.aggregate;

import dev.globalevents.aggregate.config.AggregateKeys;
import dev.globalevents.aggregate.windows.WindowQuery;
import dev.globalevents.aggregate.windows.WindowSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Json;
import dev.globalevents.events.JsonSchemas;
import dev.globalevents.events.LatencyHistogram;
import dev.globalevents.events.testing.RecordingSink;
import dev.globalevents.events.testing.RedisServer;
import dev.globalevents.events.testing.TestEvents;
import dev.globalevents.runtime.web.CloudEventCodec;
import dev.globalevents.runtime.web.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The aggregate function by {@code .apply()}, without Spring, against a real redis-server. */
class AggregateFunctionTest extends RedisTest {

	RecordingSink sink;
	MutableClock clock;
	AggregateFixture aggregate;

	@BeforeEach
	void setUp() throws Exception {
		sink = new RecordingSink();
		clock = new MutableClock(AggregateFixture.T0.plusSeconds(15));
		aggregate = new AggregateFixture(server.url(), clock, sink.url());
		aggregate.redis.async().toCompletableFuture().join().flushall().get();
	}

	@AfterEach
	void tearDown() {
		aggregate.close();
		sink.close();
	}

	private Outcome apply(List<ObjectNode> events) {
		return aggregate.function.apply(AggregateFixture.batch(events)).block();
	}

	@Test
	void countsEventsIntoTheirEventTimeWindowsPerTypeWithErrorsAndExactHistograms() {
		Instant t0 = AggregateFixture.T0;
		List<ObjectNode> events = new ArrayList<>();
		List<Instant> orderTimes = List.of(t0.plusSeconds(1), t0.plusSeconds(1), t0.plusMillis(4_500), t0.plusSeconds(9));
		orderTimes.forEach(t -> events.add(AggregateFixture.validated(t)));
		events.add(payment("failed", t0.plusSeconds(3)));
		events.add(payment("succeeded", t0.plusSeconds(3)));
		ObjectNode login = AggregateFixture.validated(loginFailed(), UUID.randomUUID().toString(), t0.plusSeconds(12));
		events.add(login);

		assertThat(apply(events)).isInstanceOf(Outcome.Ack.class);

		WindowSnapshot first = aggregate.window(t0);
		WindowSnapshot second = aggregate.window(t0.plusSeconds(10));
		assertThat(first.types().get("order.created").count()).isEqualTo(4);
		assertThat(first.types().get("order.created").errors()).isZero();
		assertThat(first.types().get("payment.processed").count()).isEqualTo(2);
		assertThat(first.types().get("payment.processed").errors()).isEqualTo(1);
		assertThat(second.types().get("login.failed").count()).isEqualTo(1);
		assertThat(second.types().get("login.failed").errors()).isEqualTo(1);
		LatencyHistogram expected = new LatencyHistogram();
		orderTimes.forEach(t -> expected.record(clock.millis() - t.toEpochMilli()));
		assertThat(first.types().get("order.created").e2e()).isEqualTo(expected);
		assertThat(first.types().get("order.created").meanE2eMillis())
				.isEqualTo(orderTimes.stream().mapToLong(t -> clock.millis() - t.toEpochMilli()).average().orElseThrow());
	}

	@Test
	void processingLatencyIsMeasuredFromValidationToAggregationApartFromEndToEnd() {
		Instant t0 = AggregateFixture.T0;
		ObjectNode fast = AggregateFixture.validated(t0.plusSeconds(1));
		fast.put(dev.globalevents.events.CloudEventAttributes.VALIDATED_AT, clock.instant().minusMillis(30).toString());
		ObjectNode slow = AggregateFixture.validated(t0.plusSeconds(2));
		slow.put(dev.globalevents.events.CloudEventAttributes.VALIDATED_AT, clock.instant().minusMillis(50).toString());
		ObjectNode unknown = AggregateFixture.validated(t0.plusSeconds(3)); // no validation time: not measured

		assertThat(apply(List.of(fast, slow, unknown))).isInstanceOf(Outcome.Ack.class);

		WindowSnapshot.TypeStats orders = aggregate.window(t0).types().get("order.created");
		assertThat(orders.count()).isEqualTo(3);
		assertThat(orders.transit().count()).isEqualTo(2);
		assertThat(orders.meanTransitMillis()).isEqualTo(40.0);
		assertThat(orders.meanE2eMillis()).isEqualTo((14_000 + 13_000 + 12_000) / 3.0);
		assertThat(WindowQuery.stats(orders)).containsEntry("processing_mean_ms", 40.0)
				.containsEntry("processing_p99_ms", orders.transit().percentile(0.99));
		assertThat(aggregate.window(t0).summary().types().get("order.created").transitMicrosSum()).isEqualTo(80_000);
	}

	@Test
	void theSameEventDeliveredSeveralTimesIsCountedOnce() {
		ObjectNode event = AggregateFixture.validated(AggregateFixture.T0.plusSeconds(2));

		for (int i = 0; i < 5; i++) {
			assertThat(aggregate.function.apply(AggregateFixture.single(event)).block()).isInstanceOf(Outcome.Ack.class);
		}
		apply(List.of(event, event));

		assertThat(aggregate.window(AggregateFixture.T0).total().count()).isEqualTo(1);
		assertThat(aggregate.registry.get("aggregate.events").tag("result", "duplicate").counter().count()).isEqualTo(6);
	}

	@Test
	void eventsArrivingAfterTheirWindowClosedAreCountedAsLateNotDropped() {
		ObjectNode onTime = AggregateFixture.validated(AggregateFixture.T0.plusSeconds(2));
		apply(List.of(onTime));
		clock.advance(Duration.ofSeconds(25));
		aggregate.emitter.tick().block();
		ObjectNode late = AggregateFixture.validated(AggregateFixture.T0.plusSeconds(3));

		apply(List.of(late));

		assertThat(aggregate.window(AggregateFixture.T0).total().count()).isEqualTo(1);
		assertThat(aggregate.window(AggregateFixture.T0).closed()).isTrue();
		assertThat(aggregate.registry.get("aggregate.events").tag("result", "late").counter().count()).isEqualTo(1);
		Map<String, String> lateCounts = hgetall(new AggregateKeys("us-east").late());
		assertThat(lateCounts).containsEntry("order.created", "1");
	}

	@Test
	void aClosedWindowIsEmittedOnceAsAMetricsCloudEvent() {
		apply(List.of(AggregateFixture.validated(AggregateFixture.T0.plusSeconds(1)), payment("failed", AggregateFixture.T0.plusSeconds(2))));
		aggregate.emitter.tick().block();
		assertThat(sink.received()).isEmpty();

		clock.advance(Duration.ofSeconds(25));
		aggregate.emitter.tick().block();
		aggregate.emitter.tick().block();

		assertThat(received(CloudEventTypes.METRICS_WINDOW)).hasSize(1);
		var received = received(CloudEventTypes.METRICS_WINDOW).get(0);
		assertThat(received.header("ce-type")).isEqualTo(CloudEventTypes.METRICS_WINDOW);
		assertThat(received.header("ce-id")).startsWith("window-" + AggregateFixture.T0.toEpochMilli() + "-");
		assertThat(received.header("ce-cluster")).isEqualTo("test");
		JsonNode metrics = Json.MAPPER.readTree(received.body());
		assertThat(JsonSchemas.load(JsonSchemas.METRICS).validate(metrics, "")).isEmpty();
		assertThat(metrics.at("/metrics/event_count").asLong()).isEqualTo(2);
		assertThat(metrics.at("/metrics/error_rate").asDouble()).isEqualTo(0.5);
		var total = aggregate.window(AggregateFixture.T0).total(); // processing time: validated to counted; the latency fields are end to end
		assertThat(total.meanTransitMillis()).isNotEqualTo(total.meanE2eMillis());
		assertThat(metrics.at("/metrics/processing_time").asDouble()).isEqualTo(total.meanTransitMillis());
		assertThat(metrics.at("/window/start").asString()).isEqualTo(AggregateFixture.T0.toString());
		assertThat(metrics.at("/tags/service").asString()).isEqualTo("aggregate");
		// the same figures per event type, sorted by type, in the one CloudEvent of the window
		var types = aggregate.window(AggregateFixture.T0).types();
		assertThat(metrics.get("types")).hasSize(2);
		assertThat(metrics.at("/types/0/event_type").asString()).isEqualTo("order.created");
		assertThat(metrics.at("/types/0/event_count").asLong()).isEqualTo(1);
		assertThat(metrics.at("/types/0/error_rate").asDouble()).isEqualTo(0.0);
		assertThat(metrics.at("/types/0/processing_time").asDouble()).isEqualTo(types.get("order.created").meanTransitMillis());
		assertThat(metrics.at("/types/0/latency/p99").asDouble()).isEqualTo(types.get("order.created").e2e().percentile(0.99));
		assertThat(metrics.at("/types/1/event_type").asString()).isEqualTo("payment.processed");
		assertThat(metrics.at("/types/1/event_count").asLong()).isEqualTo(1);
		assertThat(metrics.at("/types/1/error_rate").asDouble()).isEqualTo(1.0);
		assertThat(metrics.at("/types/1/processing_time").asDouble()).isEqualTo(types.get("payment.processed").meanTransitMillis());
		assertThat(metrics.at("/types/1/latency/p50").asDouble()).isEqualTo(types.get("payment.processed").e2e().percentile(0.5));
	}

	@Test
	void aClosedWindowIsPublishedToPeersAsASummaryAndMergedIntoTheOwnGlobalView() {
		apply(List.of(AggregateFixture.validated(AggregateFixture.T0.plusSeconds(1)), payment("failed", AggregateFixture.T0.plusSeconds(2))));
		clock.advance(Duration.ofSeconds(25));

		aggregate.emitter.tick().block();

		assertThat(received(CloudEventTypes.SYNC_SUMMARY)).singleElement().satisfies(summary -> {
			assertThat(summary.header("ce-region")).isEqualTo("us-east");
			assertThat(summary.header("ce-source")).isEqualTo("/aggregate/us-east");
			JsonNode data = Json.MAPPER.readTree(summary.body());
			assertThat(JsonSchemas.load(JsonSchemas.SUMMARY).validate(data, "")).isEmpty();
			assertThat(data.at("/types/order.created/count").asLong()).isEqualTo(1);
			assertThat(data.at("/types/payment.processed/errors").asLong()).isEqualTo(1);
		});
		var own = aggregate.global.recent(5).block();
		assertThat(own).containsOnlyKeys(AggregateFixture.T0.toEpochMilli());
		assertThat(own.get(AggregateFixture.T0.toEpochMilli())).containsOnlyKeys("us-east");
	}

	@Test
	void aSinkThatIsDownGetsTheWindowLaterNothingIsLost() {
		apply(List.of(AggregateFixture.validated(AggregateFixture.T0.plusSeconds(1))));
		clock.advance(Duration.ofSeconds(25));
		sink.answer(503);

		aggregate.emitter.tick().block();
		aggregate.emitter.tick().block();
		assertThat(sink.received()).isEmpty();
		assertThat(aggregate.registry.get("aggregate.windows").tag("state", "failed").counter().count()).isGreaterThanOrEqualTo(1);

		sink.answer(202);
		clock.advance(Duration.ofSeconds(31));
		aggregate.emitter.tick().block();
		aggregate.emitter.tick().block();

		assertThat(received(CloudEventTypes.METRICS_WINDOW)).hasSize(1);
		assertThat(received(CloudEventTypes.SYNC_SUMMARY)).hasSize(1);
	}

	@Test
	void queueDepthIsTheHighestValidatedSequenceMinusTheEventsCounted() throws Exception {
		List<ObjectNode> events = new ArrayList<>();
		for (long sequence : new long[] { 2, 5, 3 }) { // validate numbered 5 events; 1 and 4 have not arrived
			ObjectNode event = AggregateFixture.validated(AggregateFixture.T0.plusSeconds(1));
			event.put(dev.globalevents.events.CloudEventAttributes.VALIDATED_SEQ, Long.toString(sequence));
			events.add(event);
		}

		apply(events);

		assertThat(aggregate.store.queueDepth().block()).isEqualTo(2);
		apply(List.of(events.getFirst())); // a repeated delivery changes nothing
		assertThat(aggregate.store.queueDepth().block()).isEqualTo(2);
	}

	@Test
	void redisUnreachableAnswers503NeverAnAcknowledgement() {
		RedisServer down = new RedisServer();
		try (AggregateFixture unreachable = new AggregateFixture(down.url(), clock, null)) {
			Outcome outcome = unreachable.function.apply(AggregateFixture.single(AggregateFixture.validated(AggregateFixture.T0))).block();

			assertThat(outcome).isInstanceOfSatisfying(Outcome.Unavailable.class, u -> assertThat(u.problem().status()).isEqualTo(503));
		}
	}

	@Test
	void eachRouteTakesItsOwnTypeOnly() {
		Outcome outsideEvent = aggregate.function.apply(AggregateFixture.single(TestEvents.ORDER_CREATED_FULL.structured())).block();
		Outcome eventAsSummary = aggregate.merge.apply(AggregateFixture.single(AggregateFixture.validated(AggregateFixture.T0))).block();

		assertThat(outsideEvent).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.problem().code()).isEqualTo("unexpected-type"));
		assertThat(eventAsSummary).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.problem().code()).isEqualTo("unexpected-type"));
	}

	private List<RecordingSink.Received> received(String type) {
		return sink.received().stream().filter(r -> type.equals(r.header("ce-type"))).toList();
	}

	private Map<String, String> hgetall(String key) {
		try {
			return aggregate.redis.async().toCompletableFuture().join().hgetall(key).get();
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	private static ObjectNode payment(String status, Instant time) {
		ObjectNode event = (ObjectNode) TestEvents.PAYMENT_PROCESSED_EU.validated().deepCopy();
		((ObjectNode) event.get("payload")).put("status", status);
		ObjectNode envelope = AggregateFixture.validated(event, UUID.randomUUID().toString(), time);
		return envelope;
	}

	private static JsonNode loginFailed() {
		ObjectNode event = (ObjectNode) TestEvents.SENSOR_READING_MINIMAL.validated().deepCopy();
		event.put("type", "login.failed");
		event.set("payload", Json.MAPPER.createObjectNode().put("user", "mallory").put("reason", "bad_password"));
		return event;
	}
}

package dev.globalevents.aggregate;

import dev.globalevents.aggregate.replay.InProcessSender;
import dev.globalevents.aggregate.replay.ReplayRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Json;
import dev.globalevents.events.testing.RecordingSink;
import dev.globalevents.events.testing.RedisCluster;
import dev.globalevents.runtime.web.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every aggregate script and store against a real three-node Redis Cluster: counting (count.lua), closing (close.lua),
 * the outbox's consumer group, the global merge (merge.lua), the queue depth and a replay (replay-count.lua). A
 * script that touched a key it did not declare, or keys of two slots, would fail here with CROSSSLOT.
 */
class RedisClusterTest {

	static RedisCluster cluster;

	@BeforeAll
	static void start() {
		cluster = RedisCluster.started();
	}

	@AfterAll
	static void stop() {
		cluster.close();
	}

	@Test
	void countingClosingEmittingMergingAndReplayingRunOnARedisCluster() throws Exception {
		MutableClock clock = new MutableClock(AggregateFixture.T0.plusSeconds(15));
		try (RecordingSink sink = new RecordingSink(); AggregateFixture aggregate = new AggregateFixture(cluster.url(), clock, sink.url())) {
			List<ObjectNode> events = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				ObjectNode event = AggregateFixture.validated(AggregateFixture.T0.plusSeconds(i % 20));
				event.put(CloudEventAttributes.VALIDATED_SEQ, Integer.toString(i + 1));
				events.add(event);
			}
			events.add(events.get(3)); // a repeated delivery

			Outcome counted = aggregate.function.apply(AggregateFixture.batch(events)).block();
			clock.advance(Duration.ofSeconds(60));
			aggregate.emitter.tick().block();

			assertThat(counted).isInstanceOf(Outcome.Ack.class);
			assertThat(aggregate.window(AggregateFixture.T0).total().count() + aggregate.window(AggregateFixture.T0.plusSeconds(10)).total().count())
					.isEqualTo(30);
			assertThat(aggregate.store.queueDepth().block()).isZero();
			await().atMost(Duration.ofSeconds(10)).until(() -> sink.received().stream()
					.filter(r -> CloudEventTypes.METRICS_WINDOW.equals(r.header("ce-type"))).count() == 2);
			Map<Long, ?> global = aggregate.global.recent(6).block();
			assertThat(global).hasSize(2);

			String id = aggregate.replays(new InProcessSender(aggregate.function)).start(ReplayRequest.parse(Json.MAPPER.createObjectNode()
					.put("from", AggregateFixture.T0.minusSeconds(60).toString()).put("to", Instant.now().plusSeconds(60).toString()))).block().get("id");
			await().atMost(Duration.ofSeconds(20)).until(() -> "done".equals(aggregate.jobs.get(id).block().get("state")));
			assertThat(aggregate.jobs.get(id).block()).containsEntry("matched", "30").containsEntry("sent", "30");
			assertThat(aggregate.store.queueDepth().block()).isZero(); // replayed events were all duplicates
		}
	}
}

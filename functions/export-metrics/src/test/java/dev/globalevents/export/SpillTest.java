package dev.globalevents.export;

import java.time.Duration;
import java.util.List;

import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.events.testing.RedisServer;
import dev.globalevents.runtime.web.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store down for a while, the function restarted meanwhile: every row arrives exactly once, in order, against a
 * real redis-server and a local receiver of the Hydrolix protocol.
 */
class SpillTest {

	RedisServer redisServer;
	RedisConnection redis;
	HydrolixReceiver receiver;

	@BeforeEach
	void start() {
		redisServer = RedisServer.started();
		redis = new RedisConnection(redisServer.url(), Duration.ofSeconds(2));
		receiver = new HydrolixReceiver("t");
	}

	@AfterEach
	void stop() {
		receiver.close();
		redis.close();
		redisServer.close();
	}

	ExportFixture export(RedisSpill spill) {
		return new ExportFixture(metrics -> new TrafficPeakSink(receiver.url(), "globalevents.metrics", "metrics_json", "Bearer t",
				ExportFixture.delivery(metrics, 1), metrics), spill, 3, Duration.ofMillis(50));
	}

	@Test
	void rowsSpilledWhileTheStoreIsDownArriveOnceInOrderAfterARestart() {
		RedisSpill spill = new RedisSpill(redis, "eu-west");
		receiver.script(n -> new HydrolixReceiver.Answer(503, null));
		List<Outcome> whileDown;
		try (ExportFixture before = export(spill)) {
			whileDown = Flux.range(0, 10).concatMap(i -> before.function.apply(ExportFixture.single(ExportFixture.sample("s-" + i, "eu-west", i))))
					.collectList().block();
			assertThat(before.registry.get("export.rows").tag("result", "spilled").counter().count()).isEqualTo(10);
		}

		assertThat(whileDown).hasSize(10).allMatch(o -> o instanceof Outcome.Ack);
		assertThat(spill.backlog().block()).isEqualTo(10);
		int attemptsWhileDown = receiver.requests().size();

		receiver.script(n -> new HydrolixReceiver.Answer(200, null));
		RedisSpill afterRestart = new RedisSpill(redis, "eu-west");
		try (ExportFixture after = export(afterRestart);
				Drainer drainer = new Drainer(afterRestart, after.sink, after.metrics, 4, Duration.ofHours(1))) {
			Outcome newRow = after.function.apply(ExportFixture.single(ExportFixture.sample("s-10", "eu-west", 10))).block();
			long drained = drainer.drain().block();

			assertThat(newRow).isInstanceOf(Outcome.Ack.class);
			assertThat(drained).isEqualTo(11);
		}

		List<String> delivered = receiver.requests().stream().skip(attemptsWhileDown)
				.flatMap(r -> r.rows().valueStream().map(row -> row.get("id").asString())).toList();
		assertThat(delivered).containsExactly("s-0", "s-1", "s-2", "s-3", "s-4", "s-5", "s-6", "s-7", "s-8", "s-9", "s-10");
		assertThat(afterRestart.backlog().block()).isZero();
	}

	@Test
	void onlyOneReplicaDrainsAtATime() {
		RedisSpill a = new RedisSpill(redis, "us-east");

		assertThat(a.lease("a", 10_000).block()).isTrue();
		assertThat(a.lease("b", 10_000).block()).isFalse();
		assertThat(a.lease("a", 10_000).block()).isTrue();
	}
}

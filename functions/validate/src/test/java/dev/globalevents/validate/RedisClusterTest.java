package dev.globalevents.validate;

import java.time.Duration;
import java.util.List;

import dev.globalevents.events.testing.RedisCluster;
import dev.globalevents.runtime.redis.RedisConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The de-duplication script against a real three-node Redis Cluster: its keys share one slot (the region's tag). */
class RedisClusterTest {

	@Test
	void deduplicationAndTheSequenceRunOnARedisCluster() {
		try (RedisCluster cluster = RedisCluster.started(); RedisConnection redis = new RedisConnection(cluster.url(), Duration.ofSeconds(2))) {
			RedisDeduplicator deduplicator = new RedisDeduplicator(redis, Duration.ofMinutes(5), new ValidateKeys("eu-west"));

			List<Deduplicator.Seen> first = deduplicator.markSeen(List.of("/regions/eu-west/instances/a|1", "/regions/eu-west/instances/a|2",
					"/regions/eu-west/instances/a|1")).block();
			List<Deduplicator.Seen> again = deduplicator.markSeen(List.of("/regions/eu-west/instances/a|2", "/regions/eu-west/instances/a|3")).block();

			assertThat(first).containsExactly(new Deduplicator.Seen(true, 1), new Deduplicator.Seen(true, 2), new Deduplicator.Seen(false, 1));
			assertThat(again).containsExactly(new Deduplicator.Seen(false, 2), new Deduplicator.Seen(true, 3));
		}
	}
}

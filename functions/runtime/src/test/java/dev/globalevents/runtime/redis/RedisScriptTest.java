package dev.globalevents.runtime.redis;

import java.time.Duration;
import java.util.List;

import dev.globalevents.events.testing.RedisServer;
import io.lettuce.core.ScriptOutputType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scripts against a real redis-server: arguments arrive byte-exact, and a flushed script cache is recovered. */
class RedisScriptTest {

	static final RedisScript SCRIPT = RedisScript.load("redis/echo-lengths.lua");

	@Test
	void argumentsArriveAsUtf8BytesAndAFlushedScriptIsSentAgain() throws Exception {
		try (RedisServer server = RedisServer.started(); RedisConnection redis = new RedisConnection(server.url(), Duration.ofSeconds(2))) {
			var commands = redis.async().toCompletableFuture().join();

			List<Long> first = SCRIPT.<List<Long>>run(commands, ScriptOutputType.MULTI, new String[] { "k1", "k2" }, "abc", "äö€", "")
					.toCompletableFuture().join();
			commands.scriptFlush().get();
			List<Long> afterFlush = SCRIPT.<List<Long>>run(commands, ScriptOutputType.MULTI, new String[] { "k1" }, "x".repeat(100_000))
					.toCompletableFuture().join();

			assertThat(first).containsExactly(2L, 3L, 7L, 0L);
			assertThat(afterFlush).containsExactly(1L, 100_000L);
		}
	}

	@Test
	void aScriptMustDeclareItsKeysSoRedisClusterCanRouteIt() {
		assertThatThrownBy(() -> SCRIPT.run(null, ScriptOutputType.MULTI, new String[0], "x"))
				.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEYS");
	}
}

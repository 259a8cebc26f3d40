package dev.globalevents.validate;

import java.time.Duration;
import java.util.List;

import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.runtime.redis.RedisScript;
import io.lettuce.core.ScriptOutputType;
import reactor.core.publisher.Mono;

/**
 * De-duplication in one Lua script per request ({@code redis/dedup.lua}): atomic in Redis, so of any number of
 * concurrent deliveries of one event across replicas exactly one sees it first; the script also gives each event its
 * number in the region's sequence of validated events ({@link ValidateKeys}).
 */
public final class RedisDeduplicator implements Deduplicator {

	private static final RedisScript DEDUP = RedisScript.load("redis/dedup.lua");

	private final RedisConnection redis;
	private final String ttlMillis;
	private final ValidateKeys keys;

	public RedisDeduplicator(RedisConnection redis, Duration ttl, ValidateKeys keys) {
		this.redis = redis;
		this.ttlMillis = Long.toString(ttl.toMillis());
		this.keys = keys;
	}

	@Override
	public Mono<List<Seen>> markSeen(List<String> dedupKeys) {
		String[] scriptKeys = new String[dedupKeys.size() + 1];
		scriptKeys[0] = keys.sequence();
		for (int i = 0; i < dedupKeys.size(); i++) {
			scriptKeys[i + 1] = keys.seen(dedupKeys.get(i));
		}
		return Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> DEDUP.<List<Long>>run(commands, ScriptOutputType.MULTI, scriptKeys, ttlMillis)))
				.map(numbers -> numbers.stream().map(n -> new Seen(n > 0, Math.abs(n))).toList());
	}
}

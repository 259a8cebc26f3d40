package dev.globalevents.validate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.globalevents.events.redis.RedisConnection;
import dev.globalevents.events.redis.RedisScript;
import io.lettuce.core.ScriptOutputType;
import reactor.core.publisher.Mono;

/**
 * De-duplication with {@code SET dedup:<source>|<id> <region> NX PX <ttl>} in one Lua script per request
 * ({@code redis/dedup.lua}): atomic in Redis, so of any number of concurrent deliveries of one event across replicas
 * exactly one sees it first; the script also counts validated events per region ({@code val:count:<region>}).
 */
public final class RedisDeduplicator implements Deduplicator {

	private static final RedisScript DEDUP = RedisScript.load("redis/dedup.lua");
	private static final String[] NO_KEYS = new String[0];

	private final RedisConnection redis;
	private final String ttlMillis;
	private final String region;

	public RedisDeduplicator(RedisConnection redis, Duration ttl, String region) {
		this.redis = redis;
		this.ttlMillis = Long.toString(ttl.toMillis());
		this.region = region;
	}

	@Override
	public Mono<List<Boolean>> markSeen(List<String> keys) {
		List<String> args = new ArrayList<>(keys.size() + 3);
		args.add(region);
		args.add(ttlMillis);
		args.add(region);
		args.addAll(keys);
		String[] argv = args.toArray(String[]::new);
		return Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> DEDUP.<List<Long>>run(commands, ScriptOutputType.MULTI, NO_KEYS, argv)))
				.map(results -> results.stream().map(r -> r == 1L).toList());
	}
}

package dev.globalevents.validate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.globalevents.events.redis.RedisConnection;
import io.lettuce.core.SetArgs;
import reactor.core.publisher.Mono;

/**
 * De-duplication with {@code SET dedup:<source>|<id> <region> NX PX <ttl>}: atomic in Redis, so of any number of
 * concurrent deliveries of one event across replicas exactly one sees it first. Keys of a batch go out pipelined
 * on the shared connection.
 */
public final class RedisDeduplicator implements Deduplicator {

	static final String PREFIX = "dedup:";

	private final RedisConnection redis;
	private final SetArgs args;
	private final String region;

	public RedisDeduplicator(RedisConnection redis, Duration ttl, String region) {
		this.redis = redis;
		this.args = SetArgs.Builder.nx().px(ttl.toMillis());
		this.region = region;
	}

	@Override
	public Mono<List<Boolean>> markSeen(List<String> keys) {
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> {
			List<CompletableFuture<String>> replies = new ArrayList<>(keys.size());
			for (String key : keys) {
				replies.add(commands.set(PREFIX + key, region, args).toCompletableFuture());
			}
			return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply(done -> {
				List<Boolean> first = new ArrayList<>(replies.size());
				replies.forEach(reply -> first.add("OK".equals(reply.join())));
				return first;
			});
		}));
	}
}

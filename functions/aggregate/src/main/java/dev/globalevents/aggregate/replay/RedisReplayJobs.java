package dev.globalevents.aggregate.replay;

import dev.globalevents.aggregate.config.AggregateKeys;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.globalevents.runtime.redis.RedisConnection;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link ReplayJobs} in Redis ({@link AggregateKeys}): one hash per replay (kept for {@code ttl}) and a sorted set of
 * replay ids by start time.
 */
public final class RedisReplayJobs implements ReplayJobs {

	private final RedisConnection redis;
	private final AggregateKeys keys;
	private final String index;
	private final Duration ttl;

	public RedisReplayJobs(RedisConnection redis, AggregateKeys keys, Duration ttl) {
		this.redis = redis;
		this.keys = keys;
		this.index = keys.replays();
		this.ttl = ttl;
	}

	@Override
	public Mono<Map<String, String>> start(String id, ReplayRequest request, long total, long nowMillis) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("id", id);
		fields.putAll(request.fields());
		fields.put("state", "running");
		fields.put("total", Long.toString(total));
		fields.put("scanned", "0");
		fields.put("matched", "0");
		fields.put("sent", "0");
		fields.put("started_at", Long.toString(nowMillis));
		fields.put("updated_at", Long.toString(nowMillis));
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands.hset(keys.replay(id), fields)
				.thenCompose(n -> commands.pexpire(keys.replay(id), ttl.toMillis()))
				.thenCompose(ok -> commands.zadd(index, nowMillis, id))
				.thenCompose(n -> commands.zremrangebyscore(index, Range.create(0, nowMillis - ttl.toMillis())))))
				.thenReturn(fields);
	}

	@Override
	public Mono<Boolean> progress(String id, Progress batch, String cursor, long nowMillis) {
		String key = keys.replay(id);
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> {
			commands.hincrby(key, "scanned", batch.scanned());
			commands.hincrby(key, "matched", batch.matched());
			commands.hincrby(key, "sent", batch.sent());
			commands.hset(key, Map.of("cursor", cursor, "updated_at", Long.toString(nowMillis)));
			return commands.hget(key, "cancel");
		})).map(cancel -> "1".equals(cancel)).defaultIfEmpty(false);
	}

	@Override
	public Mono<Void> finish(String id, String state, String error, long nowMillis) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("state", state);
		fields.put("finished_at", Long.toString(nowMillis));
		fields.put("updated_at", Long.toString(nowMillis));
		if (error != null) {
			fields.put("error", error);
		}
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands.hset(keys.replay(id), fields))).then();
	}

	@Override
	public Mono<Boolean> cancel(String id) {
		return get(id).flatMap(fields -> "running".equals(fields.get("state"))
				? Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands.hset(keys.replay(id), "cancel", "1")))
						.thenReturn(true)
				: Mono.just(false)).defaultIfEmpty(false);
	}

	@Override
	public Mono<Map<String, String>> get(String id) {
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands.hgetall(keys.replay(id))))
				.filter(fields -> !fields.isEmpty());
	}

	@Override
	public Mono<List<Map<String, String>>> recent(int max) {
		return Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> commands.zrevrangebyscore(index, Range.unbounded(), Limit.create(0, max))))
				.flatMapMany(Flux::fromIterable)
				.concatMap(this::get)
				.collectList();
	}
}

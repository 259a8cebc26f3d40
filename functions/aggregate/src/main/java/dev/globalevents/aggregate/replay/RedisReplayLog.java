package dev.globalevents.aggregate.replay;

import dev.globalevents.aggregate.config.AggregateKeys;

import java.util.List;

import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.runtime.redis.RedisScript;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import reactor.core.publisher.Mono;

/**
 * {@link ReplayLog} on the stream {@code events:<region>} that the count script appends to (fields {@code e} event
 * JSON, {@code a} arrival ms, {@code v} validatedat). Stream ids start with the time Redis appended the entry, so
 * arrival ranges are id ranges; the stream is capped at {@code aggregate.retained-events} entries.
 */
public final class RedisReplayLog implements ReplayLog {

	private static final RedisScript COUNT = RedisScript.load("redis/replay-count.lua");
	private static final int COUNT_CHUNK = 10_000;

	private final RedisConnection redis;
	private final String stream;

	public RedisReplayLog(RedisConnection redis, AggregateKeys keys) {
		this.redis = redis;
		this.stream = keys.retained();
	}

	@Override
	public Mono<Long> count(long fromMillis, long toMillis) {
		return countFrom(Long.toString(fromMillis), Long.toString(toMillis), 0);
	}

	private Mono<Long> countFrom(String first, String last, long sofar) {
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> COUNT.<List<Object>>run(commands,
				ScriptOutputType.MULTI, new String[] { stream }, first, last, Integer.toString(COUNT_CHUNK))))
				.flatMap(chunk -> {
					long counted = (Long) chunk.get(0);
					return counted < COUNT_CHUNK ? Mono.just(sofar + counted)
							: countFrom("(" + chunk.get(1), last, sofar + counted);
				});
	}

	@Override
	public Mono<List<Retained>> read(String cursor, long fromMillis, long toMillis, int max) {
		Range.Boundary<String> lower = cursor == null ? Range.Boundary.including(Long.toString(fromMillis))
				: Range.Boundary.excluding(cursor);
		Range<String> range = Range.from(lower, Range.Boundary.including(Long.toString(toMillis)));
		return Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> commands.xrange(stream, range, Limit.from(max))))
				.map(messages -> messages.stream().map(RedisReplayLog::retained).toList());
	}

	private static Retained retained(StreamMessage<String, String> message) {
		var body = message.getBody();
		String validatedAt = body.getOrDefault("v", "");
		long arrivedAt = body.containsKey("a") ? Long.parseLong(body.get("a"))
				: Long.parseLong(message.getId().substring(0, message.getId().indexOf('-')));
		return new Retained(message.getId(), body.get("e"), arrivedAt, validatedAt.isEmpty() ? null : validatedAt);
	}
}

package dev.globalevents.aggregate;

import java.util.ArrayList;
import java.util.List;

import dev.globalevents.events.LatencyHistogram;
import dev.globalevents.events.redis.RedisConnection;
import dev.globalevents.events.redis.RedisScript;
import io.lettuce.core.ScriptOutputType;
import reactor.core.publisher.Mono;

/**
 * {@link WindowStore} in Redis. A batch of observations is one atomic script call (one round trip): the script
 * skips events already counted (set {@code agg:seen:<event time / 1000 s>} of {@code <source>|<id>}), adds counts, errors and histogram buckets to the
 * window hash {@code agg:w:<region>:<start>}, registers the window in {@code agg:open:<region>}, retains the event
 * in the stream {@code events:<region>} (capped by {@code retained-events} and {@code retained-for}) and counts late events in {@code agg:late:<region>}. Closing moves windows
 * from the open set to the outbox stream {@code agg:outbox:<region>}.
 */
final class RedisWindowStore implements WindowStore {

	private static final RedisScript COUNT = RedisScript.load("redis/count.lua");
	private static final RedisScript CLOSE = RedisScript.load("redis/close.lua");
	private static final String[] NO_KEYS = new String[0];

	private final RedisConnection redis;
	private final AggregateProperties properties;

	RedisWindowStore(RedisConnection redis, AggregateProperties properties) {
		this.redis = redis;
		this.properties = properties;
	}

	@Override
	public Mono<List<Observation.Result>> add(List<Observation> observations) {
		List<String> args = new ArrayList<>(4 + observations.size() * 12);
		args.add(properties.region());
		args.add(Long.toString(properties.seenTtl().toMillis()));
		args.add(Long.toString(properties.windowTtl().toMillis()));
		args.add(Long.toString(properties.retainedEvents()));
		for (Observation o : observations) {
			args.add(o.dedupKey());
			args.add(o.type());
			args.add(Long.toString(o.windowStart()));
			args.add(Long.toString(o.closeAt()));
			args.add(o.error() ? "1" : "0");
			args.add(Integer.toString(LatencyHistogram.bucket(o.e2eMillis())));
			args.add(o.transitMillis() < 0 ? "-1" : Integer.toString(LatencyHistogram.bucket(o.transitMillis())));
			args.add(Long.toString(Math.max(0, Math.round(o.e2eMillis() * 1000))));
			args.add(Long.toString(Math.max(0, Math.round(o.transitMillis() * 1000))));
			args.add(Long.toString(o.lateReference()));
			args.add(o.retainedJson() == null ? "" : o.retainedJson());
			args.add(o.validatedAt() == null ? "" : o.validatedAt());
		}
		String[] argv = args.toArray(String[]::new);
		return Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> COUNT.<List<Long>>run(commands, ScriptOutputType.MULTI, NO_KEYS, argv)))
				.map(codes -> codes.stream().map(code -> Observation.Result.values()[code.intValue()]).toList());
	}

	@Override
	public Mono<List<Long>> closeDue(long nowMillis, int max) {
		return Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> CLOSE.<List<String>>run(commands, ScriptOutputType.MULTI, NO_KEYS,
						properties.region(), Long.toString(nowMillis), Integer.toString(max),
						Long.toString(properties.retainedFor().toMillis()))))
				.map(starts -> starts.stream().map(Long::parseLong).toList());
	}
}

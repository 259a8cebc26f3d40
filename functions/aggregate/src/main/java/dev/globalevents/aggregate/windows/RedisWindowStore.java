package dev.globalevents.aggregate.windows;

import dev.globalevents.aggregate.config.AggregateKeys;
import dev.globalevents.aggregate.config.AggregateProperties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.globalevents.events.LatencyHistogram;
import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.runtime.redis.RedisScript;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import reactor.core.publisher.Mono;

/**
 * {@link WindowStore} in Redis ({@link AggregateKeys}). A batch of observations is one atomic script call (one round
 * trip, {@code count.lua}): the script skips events already counted (the seen-set of their 1,000 s of event time),
 * adds counts, errors and histogram buckets to the window hash, registers the window in the open set, retains the
 * event in the stream (capped by {@code retained-events} and {@code retained-for}), counts late events, and keeps the
 * highest {@code validatedseq} seen (for the queue depth). Closing ({@code close.lua}) moves due windows from the open
 * set to the outbox. Every key a script touches is passed in {@code KEYS[]}.
 */
public final class RedisWindowStore implements WindowStore {

	private static final RedisScript COUNT = RedisScript.load("redis/count.lua");
	private static final RedisScript CLOSE = RedisScript.load("redis/close.lua");

	private final RedisConnection redis;
	private final AggregateProperties properties;
	private final AggregateKeys keys;
	private final Windows windows;

	public RedisWindowStore(RedisConnection redis, AggregateProperties properties, AggregateKeys keys, Windows windows) {
		this.redis = redis;
		this.windows = windows;
		this.properties = properties;
		this.keys = keys;
	}

	@Override
	public Mono<List<Observation.Result>> add(List<Observation> observations) {
		Map<String, Integer> seenSets = new LinkedHashMap<>();
		Map<String, Integer> windowKeys = new LinkedHashMap<>();
		for (Observation o : observations) {
			seenSets.putIfAbsent(keys.seen(o.windowStart()), seenSets.size() + 1);
			windowKeys.putIfAbsent(keys.window(o.windowStart()), windowKeys.size() + 1);
		}
		List<String> scriptKeys = new ArrayList<>(List.of(keys.retained(), keys.late(), keys.counted(), keys.open(), keys.validated()));
		scriptKeys.addAll(seenSets.keySet());
		scriptKeys.addAll(windowKeys.keySet());
		List<String> args = new ArrayList<>(4 + observations.size() * 15);
		args.add(Long.toString(properties.seenTtl().toMillis()));
		args.add(Long.toString(properties.windowTtl().toMillis()));
		args.add(Long.toString(properties.retainedEvents()));
		args.add(Integer.toString(seenSets.size()));
		for (Observation o : observations) {
			args.add(o.dedupKey());
			args.add(o.type());
			args.add(Long.toString(o.windowStart()));
			args.add(Integer.toString(seenSets.get(keys.seen(o.windowStart()))));
			args.add(Integer.toString(windowKeys.get(keys.window(o.windowStart()))));
			args.add(Long.toString(o.closeAt()));
			args.add(o.error() ? "1" : "0");
			args.add(Integer.toString(LatencyHistogram.bucket(o.e2eMillis())));
			args.add(o.transitMillis() < 0 ? "-1" : Integer.toString(LatencyHistogram.bucket(o.transitMillis())));
			args.add(Long.toString(Math.max(0, Math.round(o.e2eMillis() * 1000))));
			args.add(Long.toString(Math.max(0, Math.round(o.transitMillis() * 1000))));
			args.add(Long.toString(o.lateReference()));
			args.add(o.retainedJson() == null ? "" : o.retainedJson());
			args.add(o.validatedAt() == null ? "" : o.validatedAt());
			args.add(Long.toString(o.validatedSequence()));
		}
		String[] scriptKeyArray = scriptKeys.toArray(String[]::new);
		String[] argv = args.toArray(String[]::new);
		return Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> COUNT.<List<Long>>run(commands, ScriptOutputType.MULTI, scriptKeyArray, argv)))
				.map(codes -> codes.stream().map(code -> Observation.Result.values()[code.intValue()]).toList());
	}

	/** Reads the due windows, then claims them in one script (a replica that claimed one first wins it). */
	@Override
	public Mono<List<Long>> closeDue(long nowMillis, int max) {
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands
				.zrangebyscore(keys.open(), Range.create(Double.NEGATIVE_INFINITY, (double) nowMillis), Limit.create(0, max))
				.thenCompose(due -> {
					if (due.isEmpty() && properties.retainedFor().isZero()) {
						return java.util.concurrent.CompletableFuture.completedFuture(List.<String>of());
					}
					List<String> scriptKeys = new ArrayList<>(List.of(keys.open(), keys.outbox(), keys.retained()));
					List<String> args = new ArrayList<>(List.of(Long.toString(nowMillis), Long.toString(properties.retainedFor().toMillis())));
					for (String start : due) {
						scriptKeys.add(keys.window(Long.parseLong(start)));
						args.add(start);
					}
					return CLOSE.<List<String>>run(commands, ScriptOutputType.MULTI, scriptKeys.toArray(String[]::new),
							args.toArray(String[]::new));
				})))
				.map(starts -> starts.stream().map(Long::parseLong).toList());
	}

	@Override
	public Mono<WindowSnapshot> read(long windowStart) {
		return Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> commands.hgetall(keys.window(windowStart))))
				.map(hash -> WindowSnapshot.fromHash(keys.region(), windowStart, windows.end(windowStart), hash));
	}

	@Override
	public Mono<Long> queueDepth() {
		return Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> commands.mget(keys.validated(), keys.counted())))
				.map(values -> Math.max(0, Long.parseLong(values.get(0).getValueOrElse("0"))
						- Long.parseLong(values.get(1).getValueOrElse("0"))));
	}
}

package dev.globalevents.aggregate.sync;

import dev.globalevents.aggregate.config.AggregateKeys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.globalevents.events.Json;
import dev.globalevents.events.WindowSummary;
import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.runtime.redis.RedisScript;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link GlobalStore} in this region's Redis ({@link AggregateKeys}, the global view's hash tag): one hash per window
 * (a version and a summary per origin region), the set of summarized windows and freshness per region (latest window
 * end, last heard). A batch of summaries is one atomic script call ({@code merge.lua}) with every key declared.
 */
public final class RedisGlobalStore implements GlobalStore {

	private static final RedisScript MERGE = RedisScript.load("redis/merge.lua");
	private final RedisConnection redis;
	private final Duration ttl;
	private final AggregateKeys keys;

	public RedisGlobalStore(RedisConnection redis, Duration ttl, AggregateKeys keys) {
		this.redis = redis;
		this.ttl = ttl;
		this.keys = keys;
	}

	@Override
	public Mono<List<Boolean>> merge(List<WindowSummary> summaries, long receivedAtMillis) {
		List<String> scriptKeys = new ArrayList<>(List.of(keys.globalWindows(), keys.globalLatest(), keys.globalHeard()));
		List<String> args = new ArrayList<>(2 + summaries.size() * 5);
		args.add(Long.toString(ttl.toMillis()));
		args.add(Long.toString(receivedAtMillis));
		for (WindowSummary summary : summaries) {
			args.add(Long.toString(millis(summary.window().start())));
			args.add(Long.toString(millis(summary.window().end())));
			args.add(summary.region());
			args.add(Long.toString(millis(summary.closedAt())));
			args.add(Json.MAPPER.writeValueAsString(summary));
			scriptKeys.add(keys.globalWindow(millis(summary.window().start())));
		}
		String[] scriptKeyArray = scriptKeys.toArray(String[]::new);
		String[] argv = args.toArray(String[]::new);
		return Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> MERGE.<List<Long>>run(commands, ScriptOutputType.MULTI, scriptKeyArray, argv)))
				.map(codes -> codes.stream().map(code -> code == 1).toList());
	}

	@Override
	public Mono<Map<Long, Map<String, WindowSummary>>> recent(int max) {
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands
				.zrevrangebyscore(keys.globalWindows(), Range.unbounded(), io.lettuce.core.Limit.create(0, max))))
				.flatMapMany(Flux::fromIterable)
				.concatMap(start -> Mono.fromCompletionStage(() -> redis.async()
						.thenCompose(commands -> commands.hgetall(keys.globalWindow(Long.parseLong(start)))))
						.map(hash -> Map.entry(Long.parseLong(start), summaries(hash))))
				.collect(LinkedHashMap::new, (map, entry) -> map.put(entry.getKey(), entry.getValue()));
	}

	private static Map<String, WindowSummary> summaries(Map<String, String> hash) {
		Map<String, WindowSummary> byRegion = new TreeMap<>();
		hash.forEach((field, value) -> {
			if (field.startsWith("s:")) {
				byRegion.put(field.substring(2), Json.MAPPER.readValue(value, WindowSummary.class));
			}
		});
		return byRegion;
	}

	@Override
	public Mono<Map<String, Freshness>> freshness() {
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands.hgetall(keys.globalLatest())
				.thenCombine(commands.hgetall(keys.globalHeard()), (latest, heard) -> {
					Map<String, Freshness> freshness = new TreeMap<>();
					latest.forEach((region, end) -> freshness.put(region, new Freshness(Long.parseLong(end),
							Long.parseLong(heard.getOrDefault(region, "0")))));
					return freshness;
				})));
	}

	private static long millis(String instant) {
		return Instant.parse(instant).toEpochMilli();
	}
}

package dev.globalevents.aggregate.emission;

import dev.globalevents.aggregate.config.AggregateKeys;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.globalevents.runtime.redis.RedisConnection;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import reactor.core.publisher.Mono;

/**
 * {@link WindowOutbox} on the outbox stream ({@link AggregateKeys#outbox()}) with the consumer group {@code emitters}:
 * each instance reads new entries as its own consumer, retries its own pending entries (a failed send) on every
 * call, and claims entries left pending for {@code reclaimAfter} by an instance that died.
 */
public final class RedisWindowOutbox implements WindowOutbox {

	private static final String GROUP = "emitters";

	private final RedisConnection redis;
	private final AggregateKeys keys;
	private final String stream;
	private final Consumer<String> consumer = Consumer.from(GROUP, "aggregate-" + UUID.randomUUID());
	private final Duration reclaimAfter;
	private volatile boolean groupReady;

	public RedisWindowOutbox(RedisConnection redis, AggregateKeys keys, Duration reclaimAfter) {
		this.redis = redis;
		this.keys = keys;
		this.stream = keys.outbox();
		this.reclaimAfter = reclaimAfter;
	}

	@Override
	public Mono<List<Entry>> take(int max) {
		return read(max).onErrorResume(e -> String.valueOf(e.getMessage()).startsWith("NOGROUP"), e -> {
			groupReady = false; // the stream is gone (Redis flushed or restarted empty): create the group again
			return read(max);
		});
	}

	private Mono<List<Entry>> read(int max) {
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> ensureGroup(commands)
				.thenCompose(ready -> commands.xautoclaim(stream,
						XAutoClaimArgs.Builder.xautoclaim(consumer, reclaimAfter, "0-0").count(max)))
				.thenCompose(reclaimed -> commands.xreadgroup(consumer, XReadArgs.Builder.count(max),
						XReadArgs.StreamOffset.from(stream, "0")).thenCompose(own -> commands.xreadgroup(consumer,
								XReadArgs.Builder.count(max), XReadArgs.StreamOffset.lastConsumed(stream)).thenApply(fresh -> {
									Map<String, Entry> entries = new LinkedHashMap<>();
									reclaimed.getMessages().forEach(m -> entries.put(m.getId(), entry(m)));
									own.forEach(m -> entries.put(m.getId(), entry(m)));
									fresh.forEach(m -> entries.put(m.getId(), entry(m)));
									return List.copyOf(entries.values());
								})))));
	}

	private java.util.concurrent.CompletionStage<Boolean> ensureGroup(RedisClusterAsyncCommands<String, String> commands) {
		if (groupReady) {
			return java.util.concurrent.CompletableFuture.completedFuture(true);
		}
		return commands.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), GROUP, XGroupCreateArgs.Builder.mkstream())
				.handle((ok, error) -> {
					if (error == null || String.valueOf(error.getMessage()).contains("BUSYGROUP")) {
						groupReady = true;
						return true;
					}
					throw new IllegalStateException(error);
				});
	}

	private static Entry entry(StreamMessage<String, String> message) {
		return new Entry(message.getId(), Long.parseLong(message.getBody().get("window")));
	}

	@Override
	public Mono<Void> done(Entry entry) {
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands
				.xack(stream, GROUP, entry.id()).thenCompose(acked -> commands.xdel(stream, entry.id())))).then();
	}

}

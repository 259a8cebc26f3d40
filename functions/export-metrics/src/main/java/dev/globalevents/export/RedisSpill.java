package dev.globalevents.export;

import java.util.List;

import dev.globalevents.events.Json;
import dev.globalevents.runtime.redis.RedisConnection;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link Spill} on the Redis stream {@link ExportKeys#spill()} (field {@code r}: the row JSON), read oldest first;
 * the drain lease is {@code export:drainer:<region>} ({@code SET NX PX}).
 */
final class RedisSpill implements Spill {

	private final RedisConnection redis;
	private final String stream;
	private final String leaseKey;

	RedisSpill(RedisConnection redis, String region) {
		this.redis = redis;
		this.stream = new ExportKeys(region).spill();
		this.leaseKey = new ExportKeys(region).drainer();
	}

	@Override
	public Mono<Void> append(List<ObjectNode> rows) {
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> {
			java.util.concurrent.CompletableFuture<?>[] adds = rows.stream()
					.map(row -> commands.xadd(stream, "r", Json.MAPPER.writeValueAsString(row)).toCompletableFuture())
					.toArray(java.util.concurrent.CompletableFuture[]::new);
			return java.util.concurrent.CompletableFuture.allOf(adds);
		})).then();
	}

	@Override
	public Mono<List<Spilled>> oldest(int max) {
		return Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> commands.xrange(stream, Range.create("-", "+"), Limit.from(max))))
				.map(messages -> messages.stream()
						.map(m -> new Spilled(m.getId(), (ObjectNode) Json.MAPPER.readTree(m.getBody().get("r")))).toList());
	}

	@Override
	public Mono<Void> remove(List<Spilled> rows) {
		String[] ids = rows.stream().map(Spilled::id).toArray(String[]::new);
		return ids.length == 0 ? Mono.empty()
				: Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands.xdel(stream, ids))).then();
	}

	@Override
	public Mono<Long> backlog() {
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands.xlen(stream)));
	}

	@Override
	public Mono<Boolean> lease(String owner, long ttlMillis) {
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands
				.set(leaseKey, owner, SetArgs.Builder.nx().px(ttlMillis))
				.thenCompose(ok -> "OK".equals(ok) ? java.util.concurrent.CompletableFuture.completedFuture(true)
						: commands.get(leaseKey).thenCompose(holder -> owner.equals(holder)
								? commands.pexpire(leaseKey, ttlMillis).thenApply(b -> true)
								: java.util.concurrent.CompletableFuture.completedFuture(false)))));
	}

}

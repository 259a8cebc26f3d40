package dev.globalevents.quarantine;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.globalevents.events.Json;
import dev.globalevents.runtime.redis.RedisConnection;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;

/**
 * {@link QuarantineStore} on the Redis stream {@link QuarantineKeys#requests()}: fields {@code h} (headers as JSON),
 * {@code b} (body, base64) and {@code t} (received, epoch ms); capped at {@code maxEntries} (approximately).
 */
final class RedisQuarantineStore implements QuarantineStore {

	private static final TypeReference<LinkedHashMap<String, String>> HEADERS = new TypeReference<>() {
	};

	private final RedisConnection redis;
	private final String stream;
	private final long maxEntries;

	RedisQuarantineStore(RedisConnection redis, String region, long maxEntries) {
		this.redis = redis;
		this.stream = new QuarantineKeys(region).requests();
		this.maxEntries = maxEntries;
	}

	@Override
	public Mono<String> keep(Map<String, String> headers, byte[] body, long receivedAt) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("h", Json.MAPPER.writeValueAsString(headers));
		fields.put("b", Base64.getEncoder().encodeToString(body));
		fields.put("t", Long.toString(receivedAt));
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands.xadd(stream,
				XAddArgs.Builder.maxlen(maxEntries).approximateTrimming(), fields)));
	}

	@Override
	public Mono<List<Quarantined>> newest(int max) {
		return Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> commands.xrevrange(stream, Range.create("-", "+"), Limit.from(max))))
				.map(messages -> messages.stream().map(RedisQuarantineStore::entry).toList());
	}

	@Override
	public Mono<List<Quarantined>> get(List<String> ids) {
		return Flux.fromIterable(ids)
				.concatMap(id -> Mono.fromCompletionStage(() -> redis.async()
						.thenCompose(commands -> commands.xrange(stream, Range.create(id, id)))))
				.flatMapIterable(messages -> messages)
				.map(RedisQuarantineStore::entry)
				.collect(ArrayList::new, List::add);
	}

	@Override
	public Mono<Void> remove(List<String> ids) {
		return ids.isEmpty() ? Mono.empty() : Mono.fromCompletionStage(() -> redis.async()
				.thenCompose(commands -> commands.xdel(stream, ids.toArray(String[]::new)))).then();
	}

	@Override
	public Mono<Long> size() {
		return Mono.fromCompletionStage(() -> redis.async().thenCompose(commands -> commands.xlen(stream)));
	}

	private static Quarantined entry(StreamMessage<String, String> message) {
		Map<String, String> body = message.getBody();
		return new Quarantined(message.getId(), Long.parseLong(body.get("t")), Json.MAPPER.readValue(body.get("h"), HEADERS),
				Base64.getDecoder().decode(body.get("b")));
	}
}

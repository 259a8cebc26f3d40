package dev.globalevents.aggregate;

import dev.globalevents.aggregate.config.AggregateKeys;
import dev.globalevents.aggregate.config.AggregateProperties;
import dev.globalevents.aggregate.emission.EmissionMetrics;
import dev.globalevents.aggregate.emission.RedisWindowOutbox;
import dev.globalevents.aggregate.emission.WindowEmitter;
import dev.globalevents.aggregate.replay.RedisReplayJobs;
import dev.globalevents.aggregate.replay.RedisReplayLog;
import dev.globalevents.aggregate.replay.Replays;
import dev.globalevents.aggregate.sync.MergeFunction;
import dev.globalevents.aggregate.sync.MergeMetrics;
import dev.globalevents.aggregate.sync.RedisGlobalStore;
import dev.globalevents.aggregate.windows.CountFunction;
import dev.globalevents.aggregate.windows.CountMetrics;
import dev.globalevents.aggregate.windows.ErrorClassifier;
import dev.globalevents.aggregate.windows.RedisWindowStore;
import dev.globalevents.aggregate.windows.WindowSnapshot;
import dev.globalevents.aggregate.windows.Windows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Json;
import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.events.testing.TestEvents;
import dev.globalevents.runtime.web.CloudEventCodec;
import dev.globalevents.runtime.web.CloudEventSender;
import dev.globalevents.runtime.web.HttpCloudEventSender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.node.ObjectNode;

/**
 * One aggregate "instance" for tests without Spring: its own Redis connection (as a separate process would have),
 * a hand-moved clock, and optionally a sink. Also builds validated CloudEvents like validate emits.
 */
final class AggregateFixture implements AutoCloseable {

	static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

	final AggregateProperties properties;
	final MutableClock clock;
	final RedisConnection redis;
	final RedisWindowStore store;
	final RedisWindowOutbox outbox;
	final RedisGlobalStore global;
	final WindowEmitter emitter;
	final CountFunction function;
	final MergeFunction merge;
	final Windows windows;
	final RedisReplayJobs jobs;
	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	static final AggregateKeys KEYS = new AggregateKeys("us-east");

	AggregateFixture(String redisUrl, MutableClock clock, String sinkUrl) {
		this(redisUrl, clock, sinkUrl, Duration.ZERO);
	}

	AggregateFixture(String redisUrl, MutableClock clock, String sinkUrl, Duration retainedFor) {
		this.properties = AggregateProperties.defaults().withRetainedFor(retainedFor)
				.withErrors(Map.of("login.failed", "", "payment.processed", "/status=failed")).withReplayBatchSize(50);
		this.clock = clock;
		this.redis = new RedisConnection(redisUrl, Duration.ofMillis(500));
		this.windows = new Windows(properties.windowSize(), properties.allowedLateness());
		this.store = new RedisWindowStore(redis, properties, KEYS, windows);
		this.outbox = new RedisWindowOutbox(redis, KEYS, Duration.ofSeconds(30));
		Optional<CloudEventSender> sink = sinkUrl == null ? Optional.empty()
				: Optional.of(new HttpCloudEventSender(sinkUrl, "{\"extensions\":{\"cluster\":\"test\"}}", Duration.ofSeconds(2)));
		this.global = new RedisGlobalStore(redis, properties.windowTtl(), KEYS);
		this.emitter = new WindowEmitter(store, outbox, global, sink, new EmissionMetrics(registry), "us-east", new dev.globalevents.events.Metrics.Tags("test", "aggregate", "0.0.1"), clock);
		this.function = new CountFunction(store, new CountMetrics(registry), windows, new ErrorClassifier(properties.errors()), clock);
		this.merge = new MergeFunction(global, new MergeMetrics(registry), windows, clock);
		this.jobs = new RedisReplayJobs(redis, KEYS, Duration.ofHours(1));
	}

	/**
	 * Replays of this instance's retained events into {@code target}. Replays run on the wall clock: the retained
	 * stream's ids are Redis time, while the function's clock is the test's.
	 */
	Replays replays(CloudEventSender target) {
		return replays(target, properties.replay().batchSize());
	}

	Replays replays(CloudEventSender target, int batchSize) {
		var replay = properties.replay();
		return new Replays(new RedisReplayLog(redis, KEYS), jobs, target, replay.scanMargin(),
				batchSize, replay.concurrency(), java.time.Clock.systemUTC());
	}

	/** A validated order event (as validate emits it) with the given time and a fresh id. */
	static ObjectNode validated(Instant time) {
		return validated(TestEvents.ORDER_CREATED_FULL.validated().deepCopy(), UUID.randomUUID().toString(), time);
	}

	static ObjectNode validated(tools.jackson.databind.JsonNode event, String id, Instant time) {
		ObjectNode data = (ObjectNode) event.deepCopy();
		data.put("id", id);
		data.put("timestamp", time.toString());
		ObjectNode envelope = Json.MAPPER.createObjectNode();
		envelope.put("specversion", "1.0");
		envelope.put("id", id);
		envelope.put("source", "/regions/" + data.at("/source/region").asString() + "/instances/" + data.at("/source/instance").asString());
		envelope.put("type", CloudEventTypes.EVENT_VALIDATED);
		envelope.put("eventtype", data.get("type").asString());
		envelope.set("data", data);
		return envelope;
	}

	static CloudEventCodec.Inbound batch(List<ObjectNode> envelopes) {
		return CloudEventCodec.decode(CloudEventCodec.BATCH, Map.of(), Json.MAPPER.writeValueAsBytes(envelopes));
	}

	static CloudEventCodec.Inbound single(ObjectNode envelope) {
		return CloudEventCodec.decode(CloudEventCodec.STRUCTURED, Map.of(), Json.MAPPER.writeValueAsBytes(envelope));
	}

	WindowSnapshot window(Instant eventTime) {
		return store.read(windows.start(eventTime.toEpochMilli())).block();
	}

	@Override
	public void close() {
		redis.close();
	}
}

package dev.globalevents.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import dev.globalevents.aggregate.config.AggregateKeys;
import dev.globalevents.aggregate.config.AggregateProperties;
import dev.globalevents.aggregate.emission.EmissionMetrics;
import dev.globalevents.aggregate.emission.RedisWindowOutbox;
import dev.globalevents.aggregate.emission.WindowEmitter;
import dev.globalevents.aggregate.replay.InProcessSender;
import dev.globalevents.aggregate.replay.RedisReplayJobs;
import dev.globalevents.aggregate.replay.RedisReplayLog;
import dev.globalevents.aggregate.replay.ReplayHandler;
import dev.globalevents.aggregate.replay.Replays;
import dev.globalevents.aggregate.sync.GlobalQuery;
import dev.globalevents.aggregate.sync.MergeFunction;
import dev.globalevents.aggregate.sync.MergeMetrics;
import dev.globalevents.aggregate.sync.RedisGlobalStore;
import dev.globalevents.aggregate.windows.CountFunction;
import dev.globalevents.aggregate.windows.CountMetrics;
import dev.globalevents.aggregate.windows.ErrorClassifier;
import dev.globalevents.aggregate.windows.RedisWindowStore;
import dev.globalevents.aggregate.windows.WindowQuery;
import dev.globalevents.aggregate.windows.Windows;
import dev.globalevents.runtime.FunctionProperties;
import dev.globalevents.runtime.FunctionSink;
import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.runtime.reporting.MeterReading;
import dev.globalevents.runtime.reporting.QueueDepth;
import dev.globalevents.runtime.reporting.ReportingProperties;
import dev.globalevents.runtime.web.CloudEventEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Wiring only, by feature: counting validated events into windows ({@code windows}: route {@code /events}, its
 * Trigger {@code aggregate-validated}), closing and emitting them ({@code emission}: the ticker, the only way windows
 * close), merging window summaries into the global view ({@code sync}: route {@code /summaries}, Trigger
 * {@code aggregate-peer-summaries}) and replaying retained events ({@code replay}).
 */
@SpringBootApplication
@EnableConfigurationProperties(AggregateProperties.class)
public class AggregateApplication {

	private static final Log log = LogFactory.getLog(AggregateApplication.class);

	public static void main(String[] args) {
		SpringApplication.run(AggregateApplication.class, args);
	}

	@Bean
	AggregateKeys aggregateKeys(FunctionProperties function) {
		return new AggregateKeys(function.region());
	}

	@Bean
	Windows windows(AggregateProperties properties) {
		return new Windows(properties.windowSize(), properties.allowedLateness());
	}

	@Bean
	CountMetrics countMetrics(MeterRegistry registry) {
		return new CountMetrics(registry);
	}

	@Bean
	EmissionMetrics emissionMetrics(MeterRegistry registry) {
		return new EmissionMetrics(registry);
	}

	@Bean
	MergeMetrics mergeMetrics(MeterRegistry registry) {
		return new MergeMetrics(registry);
	}

	@Bean
	RedisWindowStore windowStore(RedisConnection redis, AggregateProperties properties, AggregateKeys keys, Windows windows) {
		return new RedisWindowStore(redis, properties, keys, windows);
	}

	@Bean
	RedisWindowOutbox windowOutbox(RedisConnection redis, AggregateKeys keys) {
		return new RedisWindowOutbox(redis, keys, Duration.ofSeconds(30));
	}

	@Bean
	RedisGlobalStore globalStore(RedisConnection redis, AggregateProperties properties, AggregateKeys keys) {
		return new RedisGlobalStore(redis, properties.windowTtl(), keys);
	}

	@Bean
	WindowEmitter windowEmitter(RedisWindowStore store, RedisWindowOutbox outbox, RedisGlobalStore global, FunctionSink sink,
			EmissionMetrics metrics, FunctionProperties function, ReportingProperties reporting) {
		return new WindowEmitter(store, outbox, global, sink.sender(), metrics, function.region(), reporting.tags("aggregate"),
				Clock.systemUTC());
	}

	@Bean
	MeterReading meterReading() {
		return new MeterReading("aggregate.events", "result", Set.of("unavailable"), "aggregate.processing");
	}

	/** The queue depth aggregate reports: validated events not counted yet. */
	@Bean
	QueueDepth queueDepth(RedisWindowStore store) {
		return store::queueDepth;
	}

	@Bean
	RedisReplayJobs replayJobs(RedisConnection redis, AggregateKeys keys) {
		return new RedisReplayJobs(redis, keys, Duration.ofHours(24));
	}

	@Bean(destroyMethod = "close")
	Replays replays(RedisConnection redis, RedisReplayJobs jobs, FunctionSink sink, CountFunction count,
			AggregateProperties properties, AggregateKeys keys) {
		AggregateProperties.Replay replay = properties.replay();
		return new Replays(new RedisReplayLog(redis, keys), jobs,
				sink.sender().orElseGet(() -> new InProcessSender(count)), replay.scanMargin(), replay.batchSize(),
				replay.concurrency(), Clock.systemUTC());
	}

	@Bean(destroyMethod = "dispose")
	Disposable windowTicker(WindowEmitter emitter, AggregateProperties properties) {
		return Flux.interval(properties.closeInterval())
				.onBackpressureDrop()
				.concatMap(tick -> emitter.tick().onErrorResume(e -> {
					log.warn("window tick failed: " + e.getMessage());
					return Mono.empty();
				}), 1)
				.subscribe();
	}

	@Bean
	CountFunction count(RedisWindowStore store, CountMetrics metrics, Windows windows, AggregateProperties properties) {
		return new CountFunction(store, metrics, windows, new ErrorClassifier(properties.errors()), Clock.systemUTC());
	}

	@Bean
	MergeFunction merge(RedisGlobalStore global, MergeMetrics metrics, Windows windows) {
		return new MergeFunction(global, metrics, windows, Clock.systemUTC());
	}

	/** Validated events come in batches from the broker (and from replays): a larger body limit than outside events. */
	@Bean
	CloudEventEndpoint events(CountFunction count) {
		return CloudEventEndpoint.at("/events", count).forBatches();
	}

	@Bean
	CloudEventEndpoint summaries(MergeFunction merge) {
		return CloudEventEndpoint.at("/summaries", merge).forBatches();
	}

	@Bean
	RouterFunction<ServerResponse> queries(RedisWindowStore store, RedisGlobalStore global, Replays replays, RedisReplayJobs jobs,
			Windows windows, AggregateProperties properties, FunctionProperties function) {
		WindowQuery query = new WindowQuery(store, windows, function.region(), Clock.systemUTC());
		GlobalQuery globalQuery = new GlobalQuery(global, windows, properties.global().staleAfter(), Clock.systemUTC());
		ReplayHandler replay = new ReplayHandler(replays, jobs, properties.replay().abandonedAfter(), Clock.systemUTC());
		return RouterFunctions.route(RequestPredicates.GET("/windows"), query::handle)
				.and(RouterFunctions.route(RequestPredicates.GET("/global"), globalQuery::handle))
				.and(replay.routes());
	}
}

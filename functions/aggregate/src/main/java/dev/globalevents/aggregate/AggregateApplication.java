package dev.globalevents.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

import dev.globalevents.runtime.FunctionProperties;
import dev.globalevents.runtime.FunctionSink;
import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.runtime.reporting.MeterReading;
import dev.globalevents.runtime.reporting.QueueDepth;
import dev.globalevents.runtime.reporting.ReportingProperties;
import dev.globalevents.runtime.web.CloudEventCodec.Inbound;
import dev.globalevents.runtime.web.CloudEventEndpoint;
import dev.globalevents.runtime.web.Outcome;
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
 * Wiring only: the aggregate function, its Redis stores (windows, outbox, global view, retained events, replay
 * status), the closing ticker, replays and the routes.
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
	AggregateMetrics aggregateMetrics(MeterRegistry registry) {
		return new AggregateMetrics(registry);
	}

	@Bean
	RedisWindowStore windowStore(RedisConnection redis, AggregateProperties properties, AggregateKeys keys) {
		return new RedisWindowStore(redis, properties, keys);
	}

	@Bean
	RedisWindowOutbox windowOutbox(RedisConnection redis, Windows windows, AggregateKeys keys) {
		return new RedisWindowOutbox(redis, windows, keys, Duration.ofSeconds(30));
	}

	@Bean
	RedisGlobalStore globalStore(RedisConnection redis, AggregateProperties properties, AggregateKeys keys) {
		return new RedisGlobalStore(redis, properties.windowTtl(), keys);
	}

	@Bean
	WindowEmitter windowEmitter(RedisWindowStore store, RedisWindowOutbox outbox, RedisGlobalStore global, FunctionSink sink,
			AggregateMetrics metrics, FunctionProperties function, ReportingProperties reporting) {
		return new WindowEmitter(store, outbox, global, sink.sender(), metrics, function.region(), reporting.tags("aggregate"),
				Clock.systemUTC());
	}

	@Bean
	MeterReading meterReading() {
		return new MeterReading("aggregate.events", "result", Set.of("unavailable"), "aggregate.processing");
	}

	/** The queue depth aggregate reports: validated events not counted yet. */
	@Bean
	QueueDepth queueDepth(RedisWindowOutbox outbox) {
		return outbox::queueDepth;
	}

	@Bean
	RedisReplayJobs replayJobs(RedisConnection redis, AggregateKeys keys) {
		return new RedisReplayJobs(redis, keys, Duration.ofHours(24));
	}

	@Bean(destroyMethod = "close")
	Replays replays(RedisConnection redis, RedisReplayJobs jobs, FunctionSink sink, Function<Inbound, Mono<Outcome>> aggregate,
			AggregateProperties properties, AggregateKeys keys) {
		AggregateProperties.Replay replay = properties.replay();
		return new Replays(new RedisReplayLog(redis, keys), jobs,
				sink.sender().orElseGet(() -> new InProcessSender(aggregate)), replay.scanMargin(), replay.batchSize(),
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
	Function<Inbound, Mono<Outcome>> aggregate(RedisWindowStore store, RedisGlobalStore global, WindowEmitter emitter,
			AggregateMetrics metrics, Windows windows, AggregateProperties properties) {
		return new AggregateFunction(store, global, emitter, metrics, windows, new ErrorClassifier(properties.errors()),
				Clock.systemUTC());
	}

	/** Validated events come in batches from the broker (and from replays): a larger body limit than outside events. */
	@Bean
	CloudEventEndpoint events(Function<Inbound, Mono<Outcome>> aggregate) {
		return CloudEventEndpoint.at("/", aggregate).maxBodyBytes(4 * 1024 * 1024);
	}

	@Bean
	RouterFunction<ServerResponse> queries(RedisWindowOutbox outbox, RedisGlobalStore global, Replays replays, RedisReplayJobs jobs,
			Windows windows, AggregateProperties properties, FunctionProperties function) {
		WindowQuery query = new WindowQuery(outbox, windows, function.region(), Clock.systemUTC());
		GlobalQuery globalQuery = new GlobalQuery(global, windows, properties.global().staleAfter(), Clock.systemUTC());
		ReplayHandler replay = new ReplayHandler(replays, jobs, properties.replay().abandonedAfter(), Clock.systemUTC());
		return RouterFunctions.route(RequestPredicates.GET("/windows"), query::handle)
				.and(RouterFunctions.route(RequestPredicates.GET("/global"), globalQuery::handle))
				.and(replay.routes());
	}
}

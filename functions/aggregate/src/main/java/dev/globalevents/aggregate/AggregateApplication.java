package dev.globalevents.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import dev.globalevents.events.redis.RedisConnection;
import dev.globalevents.events.redis.RedisHealthIndicator;
import dev.globalevents.events.web.CloudEventCodec.Inbound;
import dev.globalevents.events.reporting.MeterReading;
import dev.globalevents.events.reporting.MetricsReporter;
import dev.globalevents.events.reporting.ReportingProperties;
import dev.globalevents.events.web.CloudEventRoutes;
import dev.globalevents.events.web.CloudEventSender;
import dev.globalevents.events.web.HttpCloudEventSender;
import dev.globalevents.events.web.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
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
@EnableConfigurationProperties({ AggregateProperties.class, ReportingProperties.class })
public class AggregateApplication {

	private static final Log log = LogFactory.getLog(AggregateApplication.class);

	public static void main(String[] args) {
		SpringApplication.run(AggregateApplication.class, args);
	}

	@Bean(destroyMethod = "close")
	RedisConnection redisConnection(AggregateProperties properties) {
		return new RedisConnection(properties.redisUrl(), properties.redisTimeout());
	}

	@Bean
	HealthIndicator redis(RedisConnection redis) {
		return new RedisHealthIndicator(redis);
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
	RedisWindowStore windowStore(RedisConnection redis, AggregateProperties properties) {
		return new RedisWindowStore(redis, properties);
	}

	@Bean
	RedisWindowOutbox windowOutbox(RedisConnection redis, Windows windows, AggregateProperties properties) {
		return new RedisWindowOutbox(redis, windows, properties.region(), Duration.ofSeconds(30));
	}

	@Bean
	RedisGlobalStore globalStore(RedisConnection redis, AggregateProperties properties) {
		return new RedisGlobalStore(redis, properties.windowTtl());
	}

	/** Where this instance sends CloudEvents: {@code K_SINK}, if set. (Not an {@code Optional} bean: Spring would unwrap it.) */
	record Sink(Optional<CloudEventSender> sender) {
	}

	@Bean
	Sink sink(AggregateProperties properties, @Value("${K_CE_OVERRIDES:}") String ceOverrides) {
		Optional<CloudEventSender> sink = properties.sink().isBlank() ? Optional.empty()
				: Optional.of(new HttpCloudEventSender(properties.sink(), ceOverrides, Duration.ofSeconds(5)));
		log.info(sink.isPresent() ? "window metrics, summaries and replayed events go to " + properties.sink()
				: "no sink (K_SINK unset): windows close into the global view but nothing is sent; replays feed this instance");
		return new Sink(sink);
	}

	@Bean
	WindowEmitter windowEmitter(RedisWindowStore store, RedisWindowOutbox outbox, RedisGlobalStore global, Sink sink,
			AggregateMetrics metrics, AggregateProperties properties) {
		return new WindowEmitter(store, outbox, global, sink.sender(), metrics, properties, Clock.systemUTC());
	}

	@Bean(destroyMethod = "close")
	MetricsReporter metricsReporter(MeterRegistry registry, RedisWindowOutbox outbox, AggregateProperties properties,
			ReportingProperties reporting, @Value("${K_CE_OVERRIDES:}") String ceOverrides) {
		return MetricsReporter.forFunction(registry, new MeterReading("aggregate.events", "result",
				java.util.Set.of("unavailable"), "aggregate.processing"), outbox::queueDepth, properties.region(), "aggregate",
				reporting, ceOverrides);
	}

	@Bean
	RedisReplayJobs replayJobs(RedisConnection redis, AggregateProperties properties) {
		return new RedisReplayJobs(redis, properties.region(), Duration.ofHours(24));
	}

	@Bean(destroyMethod = "close")
	Replays replays(RedisConnection redis, RedisReplayJobs jobs, Sink sink,
			Function<Inbound, Mono<Outcome>> aggregate, AggregateProperties properties) {
		AggregateProperties.Replay replay = properties.replay();
		return new Replays(new RedisReplayLog(redis, properties.region()), jobs,
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

	@Bean
	RouterFunction<ServerResponse> routes(Function<Inbound, Mono<Outcome>> aggregate, RedisWindowOutbox outbox,
			RedisGlobalStore global, Replays replays, RedisReplayJobs jobs, Windows windows, AggregateProperties properties) {
		WindowQuery query = new WindowQuery(outbox, windows, properties.region(), Clock.systemUTC());
		GlobalQuery globalQuery = new GlobalQuery(global, windows, properties.global().staleAfter(), Clock.systemUTC());
		ReplayHandler replay = new ReplayHandler(replays, jobs, properties.replay().abandonedAfter(), Clock.systemUTC());
		return CloudEventRoutes.route("/", 4 * 1024 * 1024, aggregate)
				.and(RouterFunctions.route(RequestPredicates.GET("/windows"), query::handle))
				.and(RouterFunctions.route(RequestPredicates.GET("/global"), globalQuery::handle))
				.and(replay.routes());
	}
}

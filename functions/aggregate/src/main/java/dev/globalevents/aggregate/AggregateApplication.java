package dev.globalevents.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import dev.globalevents.events.redis.RedisConnection;
import dev.globalevents.events.redis.RedisHealthIndicator;
import dev.globalevents.events.web.CloudEventCodec.Inbound;
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

/** Wiring only: the aggregate function, its Redis window store and outbox, the closing ticker and the routes. */
@SpringBootApplication
@EnableConfigurationProperties(AggregateProperties.class)
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
	WindowEmitter windowEmitter(RedisWindowStore store, RedisWindowOutbox outbox, AggregateMetrics metrics,
			AggregateProperties properties, @Value("${K_CE_OVERRIDES:}") String ceOverrides) {
		Optional<CloudEventSender> sink = properties.sink().isBlank() ? Optional.empty()
				: Optional.of(new HttpCloudEventSender(properties.sink(), ceOverrides, Duration.ofSeconds(5)));
		log.info(sink.isPresent() ? "window metrics go to " + properties.sink()
				: "no sink (K_SINK unset): windows close but no metrics are sent");
		return new WindowEmitter(store, outbox, sink, metrics, properties, Clock.systemUTC());
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
	Function<Inbound, Mono<Outcome>> aggregate(RedisWindowStore store, WindowEmitter emitter, AggregateMetrics metrics,
			Windows windows, AggregateProperties properties) {
		return new AggregateFunction(store, emitter, metrics, windows, new ErrorClassifier(properties.errors()),
				Clock.systemUTC());
	}

	@Bean
	RouterFunction<ServerResponse> routes(Function<Inbound, Mono<Outcome>> aggregate, RedisWindowOutbox outbox,
			Windows windows, AggregateProperties properties) {
		WindowQuery query = new WindowQuery(outbox, windows, properties.region(), Clock.systemUTC());
		return CloudEventRoutes.route("/", 4 * 1024 * 1024, aggregate)
				.and(RouterFunctions.route(RequestPredicates.GET("/windows"), query::handle));
	}
}

package dev.globalevents.validate;

import java.time.Clock;
import java.util.function.Function;

import dev.globalevents.events.EventRegistry;
import dev.globalevents.events.redis.RedisConnection;
import dev.globalevents.events.redis.RedisHealthIndicator;
import dev.globalevents.events.web.CloudEventCodec.Inbound;
import dev.globalevents.events.reporting.MeterReading;
import dev.globalevents.events.reporting.MetricsReporter;
import dev.globalevents.events.reporting.ReportingProperties;
import dev.globalevents.events.web.CloudEventRoutes;
import dev.globalevents.events.web.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** Wiring only: the validate function, its Redis de-duplication, and its HTTP route. */
@SpringBootApplication
@EnableConfigurationProperties({ ValidateProperties.class, ReportingProperties.class })
public class ValidateApplication {

	public static void main(String[] args) {
		SpringApplication.run(ValidateApplication.class, args);
	}

	@Bean(destroyMethod = "close")
	RedisConnection redisConnection(ValidateProperties properties) {
		return new RedisConnection(properties.redisUrl(), properties.redisTimeout());
	}

	@Bean
	ValidateMetrics validateMetrics(MeterRegistry registry) {
		return new ValidateMetrics(registry);
	}

	@Bean(destroyMethod = "close")
	MetricsReporter metricsReporter(MeterRegistry registry, ValidateProperties properties, ReportingProperties reporting,
			@org.springframework.beans.factory.annotation.Value("${K_CE_OVERRIDES:}") String ceOverrides) {
		return MetricsReporter.forFunction(registry, new MeterReading("validate.events", "outcome",
				java.util.Set.of("rejected", "unavailable"), "validate.processing"), null, properties.region(), "validate",
				reporting, ceOverrides);
	}

	@Bean
	Function<Inbound, Mono<Outcome>> validate(ValidateProperties properties, RedisConnection redis, ValidateMetrics metrics) {
		Clock clock = Clock.systemUTC();
		EventValidator validator = new EventValidator(EventRegistry.shipped(), properties, clock);
		Deduplicator deduplicator = new RedisDeduplicator(redis, properties.dedupTtl(), properties.region());
		return new ValidateFunction(validator, deduplicator, metrics, clock);
	}

	/** Requests refused before the function saw them (not a CloudEvent, too large) count as rejections too. */
	@Bean
	RouterFunction<ServerResponse> cloudEvents(Function<Inbound, Mono<Outcome>> validate, ValidateProperties properties,
			ValidateMetrics metrics) {
		return CloudEventRoutes.route("/", properties.maxEventBytes(), validate, problem -> metrics.rejected(
				problem.violations().isEmpty() ? problem.code() : problem.violations().getFirst().code(), 1));
	}

	@Bean
	HealthIndicator redis(RedisConnection redis) {
		return new RedisHealthIndicator(redis);
	}
}

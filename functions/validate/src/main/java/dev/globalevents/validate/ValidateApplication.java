package dev.globalevents.validate;

import java.time.Clock;
import java.util.Set;
import java.util.function.Function;

import dev.globalevents.events.EventRegistry;
import dev.globalevents.runtime.FunctionProperties;
import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.runtime.reporting.MeterReading;
import dev.globalevents.runtime.web.CloudEventCodec.Inbound;
import dev.globalevents.runtime.web.CloudEventEndpoint;
import dev.globalevents.runtime.web.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/** Wiring only: the validate function with its Redis de-duplication, its route and what it reports. */
@SpringBootApplication
@EnableConfigurationProperties(ValidateProperties.class)
public class ValidateApplication {

	public static void main(String[] args) {
		SpringApplication.run(ValidateApplication.class, args);
	}

	@Bean
	ValidateMetrics validateMetrics(MeterRegistry registry) {
		return new ValidateMetrics(registry);
	}

	@Bean
	MeterReading meterReading() {
		return new MeterReading("validate.events", "outcome", Set.of("rejected", "unavailable"), "validate.processing");
	}

	@Bean
	Function<Inbound, Mono<Outcome>> validate(ValidateProperties properties, FunctionProperties function, RedisConnection redis,
			ValidateMetrics metrics) {
		Clock clock = Clock.systemUTC();
		EventValidator validator = new EventValidator(EventRegistry.shipped(), properties, clock);
		return new ValidateFunction(validator, new RedisDeduplicator(redis, properties.dedupTtl(), new ValidateKeys(function.region())), metrics, clock);
	}

	/** Requests refused before the function saw them (not a CloudEvent, too large) count as rejections too. */
	@Bean
	CloudEventEndpoint events(Function<Inbound, Mono<Outcome>> validate, ValidateMetrics metrics) {
		return CloudEventEndpoint.at("/", validate).onRefused(problem -> metrics.rejected(
				problem.violations().isEmpty() ? problem.code() : problem.violations().getFirst().code(), 1));
	}
}

package dev.globalevents.quarantine;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import dev.globalevents.runtime.FunctionProperties;
import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.runtime.reporting.MeterReading;
import dev.globalevents.runtime.reporting.QueueDepth;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Wiring only: the quarantine store in Redis, the replayer and the routes. */
@SpringBootApplication
@EnableConfigurationProperties(QuarantineProperties.class)
public class QuarantineApplication {

	private static final Log log = LogFactory.getLog(QuarantineApplication.class);

	public static void main(String[] args) {
		SpringApplication.run(QuarantineApplication.class, args);
	}

	@Bean(destroyMethod = "close")
	QuarantineLog quarantineLog() {
		return new QuarantineLog(Duration.ofSeconds(10));
	}

	@Bean
	QuarantineStore quarantineStore(RedisConnection redis, FunctionProperties function, QuarantineProperties properties) {
		return new RedisQuarantineStore(redis, function.region(), properties.maxEntries());
	}

	/** Quarantine's metrics samples: requests kept (unavailable ones are errors), time to store them. */
	@Bean
	MeterReading meterReading() {
		return new MeterReading(QuarantineMetrics.REQUESTS, "outcome", Set.of("unavailable"), QuarantineMetrics.STORE);
	}

	/** The samples' queue depth: how many requests the quarantine holds. */
	@Bean
	QueueDepth quarantineSize(QuarantineStore store) {
		return store::size;
	}

	@Bean
	RouterFunction<ServerResponse> routes(QuarantineStore store, FunctionProperties function, QuarantineProperties properties,
			QuarantineLog quarantined, MeterRegistry registry) {
		log.info("quarantine of " + function.region() + " keeps up to " + properties.maxEntries() + " requests; replays go to "
				+ (function.hasSink() ? function.sink() : "(none: set K_SINK)"));
		return new QuarantineHandler(store, new Replayer(function.hasSink() ? function.sink() : "http://127.0.0.1:1/"),
				function.maxBatchBytes(), Clock.systemUTC(), quarantined, new QuarantineMetrics(registry)).routes();
	}
}

package dev.globalevents.quarantine;

import java.time.Clock;
import java.time.Duration;

import dev.globalevents.runtime.FunctionProperties;
import dev.globalevents.runtime.redis.RedisConnection;
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
	RouterFunction<ServerResponse> routes(RedisConnection redis, FunctionProperties function, QuarantineProperties properties,
			QuarantineLog quarantined) {
		log.info("quarantine of " + function.region() + " keeps up to " + properties.maxEntries() + " requests; replays go to "
				+ (function.hasSink() ? function.sink() : "(none: set K_SINK)"));
		return new QuarantineHandler(new RedisQuarantineStore(redis, function.region(), properties.maxEntries()),
				new Replayer(function.hasSink() ? function.sink() : "http://127.0.0.1:1/"), function.maxBatchBytes(),
				Clock.systemUTC(), quarantined).routes();
	}
}

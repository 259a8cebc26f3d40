package dev.globalevents.quarantine;

import java.time.Clock;
import java.time.Duration;

import dev.globalevents.events.redis.RedisConnection;
import dev.globalevents.events.redis.RedisHealthIndicator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Wiring only: the quarantine store in Redis, the replayer and the routes. */
@SpringBootApplication
public class QuarantineApplication {

	private static final Log log = LogFactory.getLog(QuarantineApplication.class);

	public static void main(String[] args) {
		SpringApplication.run(QuarantineApplication.class, args);
	}

	@Bean(destroyMethod = "close")
	RedisConnection redisConnection(@Value("${quarantine.redis-url}") String redisUrl) {
		return new RedisConnection(redisUrl, Duration.ofSeconds(2));
	}

	@Bean
	HealthIndicator redis(RedisConnection redis) {
		return new RedisHealthIndicator(redis);
	}

	@Bean
	RouterFunction<ServerResponse> routes(RedisConnection redis, @Value("${quarantine.region}") String region,
			@Value("${quarantine.max-entries}") long maxEntries, @Value("${quarantine.replay-target}") String replayTarget) {
		log.info("quarantine:" + region + " keeps up to " + maxEntries + " requests; replays go to "
				+ (replayTarget.isBlank() ? "(none: set K_SINK)" : replayTarget));
		return new QuarantineHandler(new RedisQuarantineStore(redis, region, maxEntries),
				new Replayer(replayTarget.isBlank() ? "http://127.0.0.1:1/" : replayTarget), 4 * 1024 * 1024, Clock.systemUTC()).routes();
	}
}

package dev.globalevents.runtime.redis;

import java.util.concurrent.TimeUnit;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Readiness: up while Redis answers PING, so Knative stops routing to an instance that could only answer 503. */
public final class RedisHealthIndicator implements HealthIndicator {

	private final RedisConnection redis;

	public RedisHealthIndicator(RedisConnection redis) {
		this.redis = redis;
	}

	@Override
	public Health health() {
		try {
			String pong = redis.ping().toCompletableFuture().get(1, TimeUnit.SECONDS);
			return Health.up().withDetail("ping", pong).build();
		}
		catch (Exception e) {
			return Health.down().withDetail("error", String.valueOf(e.getCause() != null ? e.getCause() : e)).build();
		}
	}
}

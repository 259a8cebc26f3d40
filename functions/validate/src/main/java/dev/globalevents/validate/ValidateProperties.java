package dev.globalevents.validate;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Typed configuration of the validate function ({@code validate.*} in application.yaml; environment variables
 * {@code REGION} and {@code REDIS_URL} feed it).
 *
 * @param region          the region this instance runs in
 * @param redisUrl        Redis for de-duplication
 * @param redisTimeout    per-command timeout; past it the event is answered 503 and retried by the broker
 * @param dedupTtl        how long an event's (source, id) is remembered
 * @param maxEventBytes   largest request body accepted (413 beyond)
 * @param maxPayloadBytes largest event data (payload) accepted
 * @param maxFutureSkew   how far in the future an event's time may be (clock skew between senders)
 * @param defaultPriority priority of events that carry none
 * @param defaultVersion  payload schema version of events that carry none
 */
@ConfigurationProperties("validate")
public record ValidateProperties(
		@DefaultValue("us-east") String region,
		@DefaultValue("redis://127.0.0.1:6379") String redisUrl,
		@DefaultValue("500ms") Duration redisTimeout,
		@DefaultValue("24h") Duration dedupTtl,
		@DefaultValue("65536") int maxEventBytes,
		@DefaultValue("32768") int maxPayloadBytes,
		@DefaultValue("5m") Duration maxFutureSkew,
		@DefaultValue("5") int defaultPriority,
		@DefaultValue("1.0") String defaultVersion) {
}

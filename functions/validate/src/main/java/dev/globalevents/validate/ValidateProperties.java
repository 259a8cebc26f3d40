package dev.globalevents.validate;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Typed configuration of the validate function ({@code validate.*}); the defaults are here and only here. The
 * region, Redis and body limit come from the runtime ({@code function.*}).
 *
 * @param dedupTtl        how long an event's (source, id) is remembered
 * @param maxPayloadBytes largest event data (payload) accepted
 * @param maxFutureSkew   how far in the future an event's time may be (clock skew between senders; the gateway's
 *                        event-rules policy uses the same 5 minutes)
 * @param defaultPriority priority of events that carry none
 * @param defaultVersion  payload schema version of events that carry none
 */
@ConfigurationProperties("validate")
public record ValidateProperties(
		@DefaultValue("24h") Duration dedupTtl,
		@DefaultValue("32768") int maxPayloadBytes,
		@DefaultValue("5m") Duration maxFutureSkew,
		@DefaultValue("5") int defaultPriority,
		@DefaultValue("1.0") String defaultVersion) {

	/** The defaults, as Spring binds them from no configuration (for tests and tools). */
	public static ValidateProperties defaults() {
		return new org.springframework.boot.context.properties.bind.Binder()
				.bindOrCreate("validate", ValidateProperties.class);
	}

	public ValidateProperties withDedupTtl(Duration ttl) {
		return new ValidateProperties(ttl, maxPayloadBytes, maxFutureSkew, defaultPriority, defaultVersion);
	}
}

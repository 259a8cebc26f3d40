package dev.globalevents.generate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Typed configuration of the generator ({@code generate.*}). The region events come from, the instance and where
 * they go ({@code K_SINK}) come from the runtime ({@code function.*}).
 *
 * @param continuous    send continuously at the configured rates while a sink is set (SinkBinding/ContainerSource);
 *                      false: only on PingSource ticks
 * @param pingInterval  the PingSource schedule's interval: a tick emits rate × interval events
 * @param pingMode      {@code steady}: a tick's events are paced at the rate over the interval (the answer comes
 *                      when the last one is answered, just before the next tick); {@code burst}: sent at once
 * @param contentMode   {@code binary}, {@code structured} or {@code batch}
 * @param batchSize     events per request in batch mode
 * @param maxInFlight   requests awaiting an answer at once; more waits (backpressure from a slow sink)
 * @param sendTimeout   per request
 * @param retries       retries of a request answered 5xx/429 or not answered, with exponential backoff
 * @param retryBackoff  first backoff, doubled per retry
 * @param seed          random seed (0: a random one); the same seed and clock give the same events
 * @param types         event types to generate
 * @param chaos         chaos settings at start (changeable at runtime through {@code /chaos})
 */
@ConfigurationProperties("generate")
public record GenerateProperties(
		@DefaultValue("true") boolean continuous,
		@DefaultValue("60s") Duration pingInterval,
		@DefaultValue("steady") PingMode pingMode,
		@DefaultValue("binary") ContentMode contentMode,
		@DefaultValue("20") int batchSize,
		@DefaultValue("64") int maxInFlight,
		@DefaultValue("5s") Duration sendTimeout,
		@DefaultValue("4") int retries,
		@DefaultValue("100ms") Duration retryBackoff,
		@DefaultValue("0") long seed,
		Map<String, TypeSpec> types,
		ChaosSettings chaos) {

	public GenerateProperties {
		types = types == null ? Map.of() : new LinkedHashMap<>(types);
		chaos = chaos == null ? ChaosSettings.NONE : chaos;
	}

	/** Events per second a region sends in total. */
	double totalRate(String region) {
		return types.values().stream().mapToDouble(t -> t.rateIn(region)).sum();
	}

	/** How a PingSource tick's events are spread over its interval. */
	public enum PingMode {
		STEADY, BURST
	}

	/** How CloudEvents are put on the wire. */
	public enum ContentMode {
		BINARY, STRUCTURED, BATCH
	}
}

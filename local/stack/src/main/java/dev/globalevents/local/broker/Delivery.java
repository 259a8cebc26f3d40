package dev.globalevents.local.broker;

import java.net.URI;
import java.time.Duration;

import io.fabric8.knative.duck.v1.DeliverySpec;

/**
 * A Trigger's (or its Broker's) delivery settings with the Knative Kafka broker's semantics: {@code retry} retries
 * after the first attempt; retry n (1, 2, …) waits {@code delay × 2^n} (exponential) or {@code delay × n} (linear);
 * a retry count without a delay waits 1 s per step; {@code timeout} per attempt (600 s when unset); failures end at
 * the dead-letter sink, if any. Without any delivery spec there is no retry.
 */
public record Delivery(int retry, String backoffPolicy, Duration backoffDelay, Duration timeout, URI deadLetterSink) {

	static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);
	static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);
	static final Delivery NONE = new Delivery(0, null, null, DEFAULT_TIMEOUT, null);

	public static Delivery of(DeliverySpec spec, java.util.function.Function<io.fabric8.knative.duck.v1.Destination, URI> resolve) {
		if (spec == null) {
			return NONE;
		}
		return new Delivery(spec.getRetry() == null ? 0 : spec.getRetry(), spec.getBackoffPolicy(),
				spec.getBackoffDelay() == null ? null : Duration.parse(spec.getBackoffDelay()),
				spec.getTimeout() == null ? DEFAULT_TIMEOUT : Duration.parse(spec.getTimeout()),
				spec.getDeadLetterSink() == null ? null : resolve.apply(spec.getDeadLetterSink()));
	}

	/** The wait before retry number {@code n} (1 for the first retry). */
	public Duration backoff(int n) {
		Duration delay = backoffDelay == null ? DEFAULT_DELAY : backoffDelay;
		return "linear".equals(backoffPolicy) ? delay.multipliedBy(n) : delay.multipliedBy(1L << Math.min(n, 30));
	}

	/** Statuses the Kafka broker retries: 5xx, 404, 408, 409, 429, and no answer (-1). */
	public static boolean retryable(int status) {
		return status < 0 || status >= 500 || status == 404 || status == 408 || status == 409 || status == 429;
	}
}

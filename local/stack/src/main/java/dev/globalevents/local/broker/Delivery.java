package dev.globalevents.local.broker;

import java.net.URI;
import java.time.Duration;

import io.fabric8.knative.duck.v1.DeliverySpec;

/**
 * A Trigger's (or its Broker's) delivery settings with Knative's MT-channel-broker semantics: {@code retry} retries
 * after the first attempt; exponential backoff waits d, 2d, 4d…; linear retries at once, then d, 2d…; no backoff
 * when policy or delay is missing; {@code timeout} per attempt; failures end at the dead-letter sink, if any.
 */
public record Delivery(int retry, String backoffPolicy, Duration backoffDelay, Duration timeout, URI deadLetterSink) {

	static final Delivery NONE = new Delivery(0, null, null, Duration.ofSeconds(600), null);

	public static Delivery of(DeliverySpec spec, java.util.function.Function<io.fabric8.knative.duck.v1.Destination, URI> resolve) {
		if (spec == null) {
			return NONE;
		}
		return new Delivery(spec.getRetry() == null ? 0 : spec.getRetry(), spec.getBackoffPolicy(),
				spec.getBackoffDelay() == null ? null : Duration.parse(spec.getBackoffDelay()),
				spec.getTimeout() == null ? Duration.ofSeconds(600) : Duration.parse(spec.getTimeout()),
				spec.getDeadLetterSink() == null ? null : resolve.apply(spec.getDeadLetterSink()));
	}

	/** The wait before retry number {@code n} (1 for the first retry). */
	public Duration backoff(int n) {
		if (backoffPolicy == null || backoffDelay == null) {
			return Duration.ZERO;
		}
		return "linear".equals(backoffPolicy) ? backoffDelay.multipliedBy(n - 1L)
				: backoffDelay.multipliedBy(1L << Math.min(n - 1, 30));
	}

	/** Statuses Knative retries: 5xx, 404, 408, 409, 429, and no answer (-1). */
	public static boolean retryable(int status) {
		return status < 0 || status >= 500 || status == 404 || status == 408 || status == 409 || status == 429;
	}
}

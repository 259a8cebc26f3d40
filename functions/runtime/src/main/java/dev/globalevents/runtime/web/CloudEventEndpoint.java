package dev.globalevents.runtime.web;

import java.util.function.Consumer;
import java.util.function.Function;

import reactor.core.publisher.Mono;

/**
 * A function's CloudEvent route, declared as a bean; the runtime serves every one ({@link CloudEventRoutes}).
 *
 * @param path         where events are posted ({@code /} for a Knative subscriber, or a path a Trigger names)
 * @param function     what to do with the decoded event(s)
 * @param maxBodyBytes larger requests are answered 413 without being read; 0: the runtime's {@code function.max-event-bytes},
 *                     -1: its {@code function.max-batch-bytes} (batches of the pipeline's own events)
 * @param refused      told about every request refused before the function saw it (too large, not a CloudEvent)
 */
public record CloudEventEndpoint(String path, Function<CloudEventCodec.Inbound, Mono<Outcome>> function, int maxBodyBytes,
		Consumer<Problem> refused) {

	/** An endpoint with the runtime's body limit that counts nothing on refusal. */
	public static CloudEventEndpoint at(String path, Function<CloudEventCodec.Inbound, Mono<Outcome>> function) {
		return new CloudEventEndpoint(path, function, 0, problem -> {
		});
	}

	public CloudEventEndpoint maxBodyBytes(int bytes) {
		return new CloudEventEndpoint(path, function, bytes, refused);
	}

	/** A route that takes batches of the pipeline's own events from the broker: the runtime's larger batch limit. */
	public CloudEventEndpoint forBatches() {
		return maxBodyBytes(-1);
	}

	public CloudEventEndpoint onRefused(Consumer<Problem> listener) {
		return new CloudEventEndpoint(path, function, maxBodyBytes, listener);
	}
}

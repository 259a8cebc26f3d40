package dev.globalevents.generate;

import java.util.concurrent.CompletableFuture;

/** Sends encoded CloudEvent requests to a sink, retrying what may succeed later. */
interface EventSender {

	/**
	 * Sends a request; completes with the final HTTP status, or -1 when no answer came after all retries. Never
	 * completes exceptionally.
	 */
	CompletableFuture<Integer> send(CloudEventEncoder.Request request);
}

package dev.globalevents.quarantine;

import java.util.Map;

/**
 * A request the broker dead-lettered, kept exactly as it arrived: its CloudEvent headers (binary mode) or
 * content type (structured and batch mode) and its body, byte for byte (it may not even be JSON).
 *
 * @param id         position in the quarantine (a Redis stream id)
 * @param receivedAt epoch ms
 * @param headers    {@code content-type}, the trace context and every {@code ce-*} header, lower-cased names
 * @param body       the body
 */
record Quarantined(String id, long receivedAt, Map<String, String> headers, byte[] body) {

	/** Headers that Knative adds when dead-lettering: the failed destination, its status and its answer. */
	static final String ERROR_PREFIX = "ce-knativeerror";
}

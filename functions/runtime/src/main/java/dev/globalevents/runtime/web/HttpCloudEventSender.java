package dev.globalevents.runtime.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.globalevents.events.Json;
import org.springframework.messaging.Message;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Posts CloudEvents in binary mode to a sink URL, adding the extensions of Knative's {@code K_CE_OVERRIDES}
 * ({@code {"extensions":{"name":"value"}}}) to every event, and the trace context of the work that sends it.
 */
public final class HttpCloudEventSender implements CloudEventSender {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
	private final URI sink;
	private final Duration timeout;
	private final Map<String, String> overrides;
	private final TraceHeaders trace;

	public HttpCloudEventSender(String sink, String ceOverrides, Duration timeout) {
		this(sink, ceOverrides, timeout, TraceHeaders.NONE);
	}

	/** As {@link #HttpCloudEventSender(String, String, Duration)}, each event sent in the trace {@code trace} names. */
	public HttpCloudEventSender(String sink, String ceOverrides, Duration timeout, TraceHeaders trace) {
		this.sink = URI.create(sink);
		this.timeout = timeout;
		this.overrides = parseOverrides(ceOverrides);
		this.trace = trace;
	}

	public URI sink() {
		return sink;
	}

	@Override
	public Mono<Void> send(Message<?> event) {
		HttpRequest.Builder request = HttpRequest.newBuilder(sink).timeout(timeout)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(CloudEventCodec.replyBody(event)));
		CloudEventCodec.replyHeaders(event).forEach(request::header);
		overrides.forEach((name, value) -> request.setHeader("ce-" + name, CloudEventCodec.percentEncode(value)));
		trace.current().forEach(request::setHeader);
		return Mono.fromCompletionStage(() -> client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()))
				.flatMap(response -> response.statusCode() / 100 == 2 ? Mono.<Void>empty()
						: Mono.error(new IllegalStateException("sink " + sink + " answered " + response.statusCode())));
	}

	/** The extensions of Knative's {@code K_CE_OVERRIDES} ({@code {"extensions":{"name":"value"}}}), names lower-cased. */
	public static Map<String, String> parseOverrides(String ceOverrides) {
		Map<String, String> extensions = new LinkedHashMap<>();
		if (ceOverrides == null || ceOverrides.isBlank()) {
			return extensions;
		}
		JsonNode node = Json.MAPPER.readTree(ceOverrides).get("extensions");
		if (node != null) {
			node.properties().forEach(e -> extensions.put(e.getKey().toLowerCase(java.util.Locale.ROOT),
					e.getValue().isString() ? e.getValue().asString() : e.getValue().toString()));
		}
		return extensions;
	}
}

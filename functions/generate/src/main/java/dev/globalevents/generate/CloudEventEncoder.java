package dev.globalevents.generate;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.events.Json;
import dev.globalevents.runtime.web.CloudEventCodec;
import dev.globalevents.runtime.web.HttpCloudEventSender;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;

/**
 * Puts events on the wire with the CloudEvents Java SDK: binary mode (attributes as {@code ce-*} headers, payload as
 * body), structured mode ({@code application/cloudevents+json}) or batch mode (a JSON array of structured events),
 * adding the extensions of {@code K_CE_OVERRIDES}. A {@code broken_json} malformation cuts the data short.
 */
final class CloudEventEncoder {

	private static final JsonFormat FORMAT = new JsonFormat();

	private final GenerateProperties.ContentMode mode;
	private final Map<String, String> overrides;

	CloudEventEncoder(GenerateProperties.ContentMode mode, String ceOverrides) {
		this.mode = mode;
		this.overrides = HttpCloudEventSender.parseOverrides(ceOverrides);
	}

	GenerateProperties.ContentMode mode() {
		return mode;
	}

	/** One HTTP request carrying one event (binary or structured mode; batch mode uses {@link #batch}). */
	Request single(Outgoing outgoing) {
		CloudEvent event = cloudEvent(outgoing);
		Map<String, String> headers = new LinkedHashMap<>();
		AtomicReference<byte[]> body = new AtomicReference<>();
		if (mode == GenerateProperties.ContentMode.BINARY) {
			HttpMessageFactory.createWriter(headers::put, body::set).writeBinary(event);
		}
		else {
			HttpMessageFactory.createWriter(headers::put, body::set).writeStructured(event, FORMAT);
		}
		return new Request(headers, broken(outgoing, body.get()), 1);
	}

	/** One HTTP request carrying several events in batch mode. */
	Request batch(List<Outgoing> events) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write('[');
		for (int i = 0; i < events.size(); i++) {
			if (i > 0) {
				out.write(',');
			}
			out.writeBytes(broken(events.get(i), FORMAT.serialize(cloudEvent(events.get(i)))));
		}
		out.write(']');
		return new Request(Map.of("Content-Type", CloudEventCodec.BATCH), out.toByteArray(), events.size());
	}

	private CloudEvent cloudEvent(Outgoing outgoing) {
		var event = outgoing.event();
		CloudEventBuilder builder = CloudEventBuilder.v1()
				.withId(event.id())
				.withSource(URI.create(event.source().toUri()))
				.withType(event.type())
				.withTime(OffsetDateTime.parse(event.timestamp()))
				.withExtension(CloudEventAttributes.PRIORITY, event.metadata().priority())
				.withExtension(CloudEventAttributes.EVENT_VERSION, event.metadata().version())
				.withData("application/json", Json.MAPPER.writeValueAsBytes(event.payload()));
		if (!event.metadata().tags().isEmpty()) {
			builder.withExtension(CloudEventAttributes.TAGS, String.join(",", event.metadata().tags()));
		}
		overrides.forEach(builder::withExtension);
		return builder.build();
	}

	private static byte[] broken(Outgoing outgoing, byte[] bytes) {
		return "broken_json".equals(outgoing.malformation()) ? Arrays.copyOf(bytes, Math.max(1, bytes.length / 2)) : bytes;
	}

	/** An encoded HTTP request: headers, body and how many events it carries. */
	record Request(Map<String, String> headers, byte[] body, int events) {
	}
}

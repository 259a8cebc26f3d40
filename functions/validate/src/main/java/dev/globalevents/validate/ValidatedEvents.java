package dev.globalevents.validate;

import java.time.Instant;

import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Event;
import org.springframework.cloud.function.cloudevent.CloudEventMessageBuilder;
import org.springframework.messaging.Message;

/**
 * Builds the CloudEvent that validate forwards: type {@link CloudEventTypes#EVENT_VALIDATED}, the event's own id
 * and source (so (source, id) stays the de-duplication key through the whole pipeline), the normalized event as
 * data, extensions {@code eventtype}, {@code priority} and {@code region} for trigger filters, and
 * {@code validatedat} (when validate forwarded it) for per-stage latency.
 */
final class ValidatedEvents {

	private static final String PREFIX = CloudEventAttributes.HEADER_PREFIX;

	private ValidatedEvents() {
	}

	static Message<Event> of(Event event, Instant validatedAt) {
		return CloudEventMessageBuilder.withData(event)
				.setId(event.id())
				.setSource(event.source().toUri())
				.setType(CloudEventTypes.EVENT_VALIDATED)
				.setTime(event.timestamp())
				.setDataContentType("application/json")
				.setHeader(PREFIX + CloudEventAttributes.EVENT_TYPE, event.type())
				.setHeader(PREFIX + CloudEventAttributes.PRIORITY, event.metadata().priority())
				.setHeader(PREFIX + CloudEventAttributes.REGION, event.source().region())
				.setHeader(PREFIX + CloudEventAttributes.VALIDATED_AT, validatedAt.toString())
				.build(PREFIX);
	}
}

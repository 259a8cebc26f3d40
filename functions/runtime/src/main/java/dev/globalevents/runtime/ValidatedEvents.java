package dev.globalevents.runtime;

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
 * {@code validatedat} (when validate forwarded it) for per-stage latency. Validate builds it; aggregate's replay
 * rebuilds it from the retained event, adding {@code replayed} and {@code arrivedat}.
 */
public final class ValidatedEvents {

	private static final String PREFIX = CloudEventAttributes.HEADER_PREFIX;

	private ValidatedEvents() {
	}

	/** The validated event as validate forwards it, with its number in the region's sequence (0: none). */
	public static Message<Event> of(Event event, Instant validatedAt, long sequence) {
		CloudEventMessageBuilder<Event> builder = CloudEventMessageBuilder.withData(event)
				.setId(event.id())
				.setSource(event.source().toUri())
				.setType(CloudEventTypes.EVENT_VALIDATED)
				.setTime(event.timestamp())
				.setDataContentType("application/json")
				.setHeader(PREFIX + CloudEventAttributes.EVENT_TYPE, event.type())
				.setHeader(PREFIX + CloudEventAttributes.PRIORITY, event.metadata().priority())
				.setHeader(PREFIX + CloudEventAttributes.REGION, event.source().region());
		if (validatedAt != null) {
			builder.setHeader(PREFIX + CloudEventAttributes.VALIDATED_AT, validatedAt.toString());
		}
		if (sequence > 0) {
			builder.setHeader(PREFIX + CloudEventAttributes.VALIDATED_SEQ, sequence);
		}
		return builder.build(PREFIX);
	}

	/**
	 * The same validated event re-emitted by a replay: marked {@code replayed}, with its original arrival time and,
	 * when known, its original validation time.
	 */
	public static Message<Event> replayed(Event event, Instant validatedAt, long arrivedAtMillis) {
		return org.springframework.messaging.support.MessageBuilder.fromMessage(of(event, validatedAt, 0))
				.setHeader(PREFIX + CloudEventAttributes.REPLAYED, "true")
				.setHeader(PREFIX + CloudEventAttributes.ARRIVED_AT, Long.toString(arrivedAtMillis))
				.build();
	}
}

package dev.globalevents.events;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A validated, normalized event: the seed's Event data model, described by {@code schemas/event.schema.json}.
 *
 * @param id        UUID, lower case
 * @param timestamp ISO 8601 in UTC ({@code 2026-11-24T10:00:00.123Z})
 * @param type      the event's own type ({@code order.created}); not the CloudEvent type of a pipeline stage
 * @param source    where it happened
 * @param payload   type-specific JSON object
 * @param metadata  version, priority and tags
 */
public record Event(String id, String timestamp, String type, Source source, JsonNode payload, Metadata metadata) {

	/** Region and instance that produced the event; maps to the CloudEvent source {@code /regions/{region}/instances/{instance}}. */
	public record Source(String region, String instance) {

		public String toUri() {
			return EventSourceUri.format(region, instance);
		}
	}

	/** Payload schema version, priority (0 lowest to 9 highest) and lower-case, de-duplicated tags. */
	public record Metadata(String version, int priority, List<String> tags) {
	}

	/** The (source, id) pair that identifies an event for de-duplication and idempotent aggregation. */
	public String dedupKey() {
		return dedupKey(source.toUri(), id);
	}

	/** The de-duplication key of the event with this CloudEvent source and id. */
	public static String dedupKey(String sourceUri, String id) {
		return sourceUri + "|" + id;
	}
}

package dev.globalevents.validate;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.events.Event;
import dev.globalevents.events.Regions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a CloudEvent envelope that passed the wire checks into the canonical {@link Event}: id lower case,
 * timestamp in UTC, canonical region name, tags trimmed, lower-cased and de-duplicated in order, and defaults for
 * metadata the sender left out.
 */
final class EventNormalizer {

	private final int defaultPriority;
	private final String defaultVersion;

	EventNormalizer(int defaultPriority, String defaultVersion) {
		this.defaultPriority = defaultPriority;
		this.defaultVersion = defaultVersion;
	}

	Event normalize(ObjectNode envelope, Event.Source rawSource) {
		String id = envelope.get(CloudEventAttributes.ID).asString().toLowerCase(Locale.ROOT);
		String timestamp = OffsetDateTime.parse(envelope.get(CloudEventAttributes.TIME).asString().replace(' ', 'T'))
				.toInstant().toString();
		Event.Source source = new Event.Source(Regions.canonical(rawSource.region()), rawSource.instance());
		JsonNode priority = envelope.get(CloudEventAttributes.PRIORITY);
		JsonNode version = envelope.get(CloudEventAttributes.EVENT_VERSION);
		Event.Metadata metadata = new Event.Metadata(
				version == null ? defaultVersion : version.asString(),
				priority == null ? defaultPriority : priority.intValue(),
				tags(envelope.get(CloudEventAttributes.TAGS)));
		return new Event(id, timestamp, envelope.get(CloudEventAttributes.TYPE).asString(), source,
				envelope.get(CloudEventAttributes.DATA), metadata);
	}

	static List<String> tags(JsonNode tags) {
		if (tags == null || !tags.isString()) {
			return List.of();
		}
		Set<String> unique = new LinkedHashSet<>();
		for (String tag : tags.asString().split(",")) {
			String folded = tag.trim().toLowerCase(Locale.ROOT);
			if (!folded.isEmpty()) {
				unique.add(folded);
			}
		}
		return new ArrayList<>(unique);
	}
}

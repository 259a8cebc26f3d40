package dev.globalevents.events;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The CloudEvent {@code source} of an event: {@code /regions/{region}/instances/{instance}}. */
public final class EventSourceUri {

	private static final Pattern SOURCE = Pattern.compile("^/regions/([^/]+)/instances/([^/]+)$");

	private EventSourceUri() {
	}

	public static String format(String region, String instance) {
		return "/regions/" + region + "/instances/" + instance;
	}

	/** Parses a source into its raw (not yet normalized) region and instance, or returns null. */
	public static Event.Source parse(String source) {
		if (source == null) {
			return null;
		}
		Matcher m = SOURCE.matcher(source);
		return m.matches() ? new Event.Source(m.group(1), m.group(2)) : null;
	}
}

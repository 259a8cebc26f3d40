package dev.globalevents.generate;

import dev.globalevents.events.Event;

/**
 * One event as it will be sent, after chaos: possibly malformed ({@code broken_json}, {@code missing_field},
 * {@code wrong_type}, or null) and possibly a duplicate of one sent just before.
 */
record Outgoing(Event event, String malformation, boolean duplicate) {

	boolean valid() {
		return malformation == null;
	}
}

package dev.globalevents.validate;

import java.util.List;

import dev.globalevents.events.Event;
import dev.globalevents.events.Violation;

/** The result of checking one incoming CloudEvent: a normalized event, or every reason it is invalid. */
public sealed interface Validation {

	record Valid(Event event) implements Validation {
	}

	record Invalid(List<Violation> violations) implements Validation {
	}
}

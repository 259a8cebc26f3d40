package dev.globalevents.generate;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.globalevents.events.Json;
import dev.globalevents.events.Violation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The chaos settings in force, changeable at runtime. An update is a partial JSON object merged into the current
 * settings; {@code burst_seconds} and {@code blackout_seconds} are shorthands that start a burst or a blackout now.
 */
final class ChaosControl {

	private static final Log log = LogFactory.getLog(ChaosControl.class);

	private final AtomicReference<ChaosSettings> current;

	ChaosControl(ChaosSettings initial) {
		this.current = new AtomicReference<>(initial);
	}

	AtomicReference<ChaosSettings> reference() {
		return current;
	}

	ChaosSettings get() {
		return current.get();
	}

	/** Merges a partial update; throws {@link Invalid} with every violation and changes nothing when it is wrong. */
	synchronized ChaosSettings update(JsonNode patch, Instant now) {
		if (patch == null || !patch.isObject()) {
			throw new Invalid(List.of(new Violation("/", "chaos.body", "the body must be a JSON object of chaos settings")));
		}
		ObjectNode merged = Json.MAPPER.valueToTree(current.get());
		ObjectNode changes = ((ObjectNode) patch).deepCopy();
		shorthand(changes, "burst_seconds", "burst_until", now);
		shorthand(changes, "blackout_seconds", "blackout_until", now);
		for (String name : changes.propertyNames()) {
			if (!merged.has(name)) {
				throw new Invalid(List.of(new Violation("/" + name, "chaos.unknown", "unknown chaos setting " + name)));
			}
		}
		merged.setAll(changes);
		ChaosSettings settings;
		try {
			settings = Json.MAPPER.treeToValue(merged, ChaosSettings.class);
		}
		catch (RuntimeException e) {
			throw new Invalid(List.of(new Violation("/", "chaos.type", "a setting has the wrong type: " + e.getMessage())));
		}
		List<Violation> violations = settings.violations();
		if (!violations.isEmpty()) {
			throw new Invalid(violations);
		}
		current.set(settings);
		log.info("chaos settings now " + Json.MAPPER.writeValueAsString(settings));
		return settings;
	}

	ChaosSettings reset() {
		current.set(ChaosSettings.NONE);
		log.info("chaos settings reset: no faults");
		return ChaosSettings.NONE;
	}

	private static void shorthand(ObjectNode changes, String seconds, String until, Instant now) {
		JsonNode value = changes.remove(seconds);
		if (value != null) {
			if (!value.isNumber() || value.asDouble() < 0) {
				throw new Invalid(List.of(new Violation("/" + seconds, "chaos.range", seconds + " must be a number of seconds")));
			}
			changes.put(until, now.plusMillis((long) (value.asDouble() * 1000)).toString());
		}
	}

	/** Settings that cannot be applied. */
	static final class Invalid extends RuntimeException {

		private final transient List<Violation> violations;

		Invalid(List<Violation> violations) {
			super(violations.toString(), null, false, false);
			this.violations = violations;
		}

		List<Violation> violations() {
			return violations;
		}
	}
}

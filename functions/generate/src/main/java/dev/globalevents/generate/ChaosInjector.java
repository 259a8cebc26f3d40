package dev.globalevents.generate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import dev.globalevents.events.Event;
import dev.globalevents.events.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies the current {@link ChaosSettings} to a generated event and counts every fault it injects: time shifts
 * (clock skew, out of order, late), errors, malformations and duplicates. Blackouts, bursts and latency act on
 * sending and are applied (and counted) by the {@link Generator}.
 */
final class ChaosInjector {

	private final EventFactory factory;
	private final GenerateStats stats;

	ChaosInjector(EventFactory factory, GenerateStats stats) {
		this.factory = factory;
		this.stats = stats;
	}

	List<Outgoing> apply(Event event, ChaosSettings chaos) {
		RandomGenerator random = factory.random();
		Event changed = event;
		if (chaos.clockSkewS() != 0) {
			changed = at(changed, Instant.parse(changed.timestamp()).plusSeconds(chaos.clockSkewS()));
			stats.chaos("clock_skew");
		}
		if (chaos.lateShare() > 0 && random.nextDouble() < chaos.lateShare()) {
			changed = at(changed, Instant.parse(changed.timestamp()).minusSeconds(chaos.lateByS()));
			stats.chaos("late");
		}
		else if (chaos.outOfOrderShare() > 0 && random.nextDouble() < chaos.outOfOrderShare()) {
			changed = at(changed, Instant.parse(changed.timestamp()).minusMillis(1000 + random.nextLong(chaos.outOfOrderMaxS() * 1000)));
			stats.chaos("out_of_order");
		}
		TypeSpec.ErrorSpec error = factory.spec(event.type()).error();
		if (error != null && chaos.errorShare() > 0 && random.nextDouble() < chaos.errorShare()) {
			ObjectNode payload = ((ObjectNode) changed.payload()).deepCopy();
			payload.put(error.field(), error.value());
			changed = new Event(changed.id(), changed.timestamp(), changed.type(), changed.source(), payload, changed.metadata());
			stats.chaos("error");
		}
		String malformation = null;
		if (chaos.malformedShare() > 0 && random.nextDouble() < chaos.malformedShare()) {
			malformation = chaos.malformedKinds().get(random.nextInt(chaos.malformedKinds().size()));
			changed = malformed(changed, malformation);
			stats.chaos("malformed_" + malformation);
		}
		List<Outgoing> outgoing = new ArrayList<>(2);
		outgoing.add(new Outgoing(changed, malformation, false));
		if (chaos.duplicateShare() > 0 && random.nextDouble() < chaos.duplicateShare()) {
			outgoing.add(new Outgoing(changed, malformation, true));
			stats.chaos("duplicate");
		}
		return outgoing;
	}

	/** missing_field leaves out the first payload field, wrong_type gives it the wrong JSON type (types list required fields first). */
	private static Event malformed(Event event, String kind) {
		ObjectNode payload = ((ObjectNode) event.payload()).deepCopy();
		String first = payload.propertyNames().iterator().next();
		switch (kind) {
			case "missing_field" -> payload.remove(first);
			case "wrong_type" -> {
				if (payload.get(first).isString()) {
					payload.put(first, 12345);
				}
				else {
					payload.put(first, "not-a-" + payload.get(first).getNodeType().name().toLowerCase(java.util.Locale.ROOT));
				}
			}
			default -> {
				// broken_json is applied to the encoded bytes
			}
		}
		return new Event(event.id(), event.timestamp(), event.type(), event.source(), Json.MAPPER.valueToTree(payload), event.metadata());
	}

	private static Event at(Event event, Instant time) {
		return new Event(event.id(), time.toString(), event.type(), event.source(), event.payload(), event.metadata());
	}
}

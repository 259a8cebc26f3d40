package dev.globalevents.canary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A {@link Pacer} on virtual time: each interval passes at once, and the window ends one interval later. */
final class VirtualPacer implements Pacer {

	private Instant now;
	private final List<Instant> ends = new ArrayList<>();

	VirtualPacer(Instant start) {
		this.now = start;
	}

	@Override
	public Instant await(Duration interval) {
		now = now.plus(interval);
		ends.add(now);
		return now;
	}

	List<Instant> ends() {
		return List.copyOf(ends);
	}
}

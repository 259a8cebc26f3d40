package dev.globalevents.canary;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** How the rollout lets a step's interval pass. */
public interface Pacer {

	/** Lets {@code interval} pass and answers the time the step's window ends (when it is analysed). */
	Instant await(Duration interval) throws InterruptedException;

	/** In real time: sleeps the interval, then answers the clock's time. */
	static Pacer sleeping(Clock clock) {
		return interval -> {
			Thread.sleep(interval);
			return clock.instant();
		};
	}
}

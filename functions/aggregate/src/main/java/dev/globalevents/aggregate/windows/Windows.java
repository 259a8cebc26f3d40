package dev.globalevents.aggregate.windows;

import java.time.Duration;

/** Tumbling event-time windows: where an event falls and when its window closes. */
public record Windows(long sizeMillis, long latenessMillis) {

	public Windows(Duration size, Duration allowedLateness) {
		this(size.toMillis(), allowedLateness.toMillis());
	}

	public long start(long eventTimeMillis) {
		return Math.floorDiv(eventTimeMillis, sizeMillis) * sizeMillis;
	}

	public long end(long windowStart) {
		return windowStart + sizeMillis;
	}

	public long closeAt(long windowStart) {
		return end(windowStart) + latenessMillis;
	}
}

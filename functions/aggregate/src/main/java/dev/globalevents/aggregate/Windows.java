package dev.globalevents.aggregate;

import java.time.Duration;

/** Tumbling event-time windows: where an event falls and when its window closes. */
record Windows(long sizeMillis, long latenessMillis) {

	Windows(Duration size, Duration allowedLateness) {
		this(size.toMillis(), allowedLateness.toMillis());
	}

	long start(long eventTimeMillis) {
		return Math.floorDiv(eventTimeMillis, sizeMillis) * sizeMillis;
	}

	long end(long windowStart) {
		return windowStart + sizeMillis;
	}

	long closeAt(long windowStart) {
		return end(windowStart) + latenessMillis;
	}
}

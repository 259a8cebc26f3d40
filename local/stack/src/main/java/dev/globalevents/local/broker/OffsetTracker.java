package dev.globalevents.local.broker;

import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The offsets of one partition a Trigger's consumer handed out and has not finished, as the Kafka broker's offset
 * manager keeps them: records finish in any order (deliveries run concurrently), and the committable offset is the
 * first record not finished yet (or the one after the last handed out), so a commit never skips a record that could
 * still fail: after a crash everything from there is delivered again (at least once).
 */
final class OffsetTracker {

	private final ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();
	private volatile long next = -1;
	private long committed = -1;

	/** A record handed out for delivery (called in offset order, by the consumer's thread). */
	void track(long offset) {
		pending.add(offset);
		next = offset + 1;
	}

	/** A record whose delivery finished: delivered, dead-lettered, dropped or filtered out (any thread). */
	void done(long offset) {
		pending.remove(offset);
	}

	/** The first record not done yet (or the one after the last handed out): where a restart would start. */
	long firstNotDone() {
		Long first = pending.ceiling(Long.MIN_VALUE);
		return first == null ? next : first;
	}

	/** The offset to commit, or -1 when nothing finished since the last commit. */
	long committable() {
		long offset = firstNotDone();
		return offset > committed ? offset : -1;
	}

	void committed(long offset) {
		committed = Math.max(committed, offset);
	}
}

package dev.globalevents.aggregate.windows;

/**
 * What aggregate records of one event.
 *
 * @param dedupKey      (source, id) of the event
 * @param type          the event's type
 * @param windowStart   start of its event-time window, epoch ms
 * @param closeAt       when that window closes (end + allowed lateness), epoch ms
 * @param error         whether the event counts as an error
 * @param e2eMillis     event time to aggregation, ms
 * @param transitMillis validate to aggregation, ms, or -1 when unknown
 * @param lateReference arrival: now, or the original arrival of a replayed event; lateness is judged at it
 * @param retainedJson  the event to retain for replay, or null for a replayed event (already retained)
 * @param validatedAt   when validate forwarded it (ISO 8601), or null; retained with the event for replay
 * @param validatedSequence the event's number in validate's sequence ({@code validatedseq}), or 0
 */
public record Observation(String dedupKey, String type, long windowStart, long closeAt, boolean error, double e2eMillis,
		double transitMillis, long lateReference, String retainedJson, String validatedAt, long validatedSequence) {

	/** What became of an observation in the store. */
	public enum Result {
		/** Already counted before: nothing changed. */
		DUPLICATE,
		/** Counted in its window. */
		COUNTED,
		/** Counted as late: its window had closed. */
		LATE
	}
}

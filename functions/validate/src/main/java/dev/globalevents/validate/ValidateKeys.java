package dev.globalevents.validate;

/**
 * validate's Redis keys, declared in one place. They share the hash tag {@code {<region>}}, so the de-duplication
 * script, which touches the sequence and one key per event, runs on a Redis Cluster too (its keys live in one slot).
 * No other module reads them: aggregate learns the sequence from the validated events themselves
 * ({@code validatedseq}).
 *
 * @param region the region whose events these are
 */
public record ValidateKeys(String region) {

	private String prefix() {
		return "val:{" + region + "}:";
	}

	/** The region's count of validated events: each event seen first takes the next number. */
	public String sequence() {
		return prefix() + "sequence";
	}

	/** Remembers an event's (source, id) for the de-duplication window; its value is the event's sequence number. */
	public String seen(String dedupKey) {
		return prefix() + "seen:" + dedupKey;
	}
}

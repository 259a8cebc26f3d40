package dev.globalevents.aggregate.config;

/**
 * aggregate's Redis keys, declared in one place. A region's counting state shares the hash tag
 * {@code agg:{<region>}}, so the count and close scripts (which touch windows, seen-sets, the retained events and the
 * outbox) find all their keys in one slot of a Redis Cluster; the global view has its own tag
 * {@code glob:{<region>}} (its own slot, merged by its own script). Every script gets its keys in {@code KEYS[]}.
 *
 * @param region the region this aggregate counts
 */
public record AggregateKeys(String region) {

	private String agg() {
		return "agg:{" + region + "}:";
	}

	private String glob() {
		return "glob:{" + region + "}:";
	}

	/** Hash of one window: n:/e:/s:/u: per type, h:/t: histogram buckets, closed. */
	public String window(long windowStart) {
		return agg() + "w:" + windowStart;
	}

	/** Sorted set: open windows by closing time. */
	public String open() {
		return agg() + "open";
	}

	/** Stream: closed windows waiting to be emitted (consumer group {@code emitters}). */
	public String outbox() {
		return agg() + "outbox";
	}

	/** Hash: late events per type. */
	public String late() {
		return agg() + "late";
	}

	/** Events counted since the region started (the second half of the queue depth). */
	public String counted() {
		return agg() + "counted";
	}

	/** The highest {@code validatedseq} seen: how many events validate has numbered (the first half). */
	public String validated() {
		return agg() + "validated";
	}

	/** Set of counted (source, id) keys whose event time falls in one 1,000 s bucket. */
	public String seen(long windowStart) {
		return agg() + "seen:" + Math.floorDiv(windowStart, 1_000_000);
	}

	/** Stream of counted events kept for replay (fields e, a, v). */
	public String retained() {
		return agg() + "events";
	}

	/** Hash: one replay's progress. */
	public String replay(String id) {
		return agg() + "replay:" + id;
	}

	/** Sorted set: recent replays by start time. */
	public String replays() {
		return agg() + "replays";
	}

	/** Hash of one window of the global view: v:/s: per origin region. */
	public String globalWindow(long windowStart) {
		return glob() + "w:" + windowStart;
	}

	/** Sorted set: windows of the global view. */
	public String globalWindows() {
		return glob() + "windows";
	}

	/** Hash: per origin region, the newest window end merged. */
	public String globalLatest() {
		return glob() + "latest";
	}

	/** Hash: per origin region, when a summary last arrived. */
	public String globalHeard() {
		return glob() + "heard";
	}
}

package dev.globalevents.export;

/**
 * export-metrics' Redis keys, declared in one place, with the hash tag {@code export:{<region>}} (one slot of a Redis
 * Cluster). Only single-key commands touch them.
 *
 * @param region the region whose rows these are
 */
public record ExportKeys(String region) {

	/** Stream of rows the store did not take yet (field {@code r}: the row JSON), oldest first. */
	public String spill() {
		return "export:{" + region + "}:spill";
	}

	/** The drainer's lease: one instance at a time delivers the spill. */
	public String drainer() {
		return "export:{" + region + "}:drainer";
	}
}

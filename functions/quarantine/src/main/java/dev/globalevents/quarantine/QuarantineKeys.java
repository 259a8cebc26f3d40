package dev.globalevents.quarantine;

/**
 * The quarantine's Redis key, declared in one place, with the hash tag {@code quarantine:{<region>}}.
 *
 * @param region the region whose dead letters these are
 */
public record QuarantineKeys(String region) {

	/** Stream of dead-lettered requests (fields h: headers as JSON, b: body, t: received at). */
	public String requests() {
		return "quarantine:{" + region + "}:requests";
	}
}

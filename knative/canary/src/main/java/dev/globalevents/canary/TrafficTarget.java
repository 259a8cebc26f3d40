package dev.globalevents.canary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a Knative Service's {@code spec.traffic}: a named revision or the latest ready one, its percent, and
 * an optional tag (a tag gives the revision its own address, {@code <tag>-<service>.<namespace>…}, even at 0 %).
 */
public record TrafficTarget(String revisionName, boolean latestRevision, int percent, String tag) {

	public static final String STABLE = "stable";
	public static final String CANARY = "canary";

	public TrafficTarget {
		if (percent < 0 || percent > 100) {
			throw new IllegalArgumentException("percent out of 0..100: " + percent);
		}
		if (latestRevision == (revisionName != null)) {
			throw new IllegalArgumentException("a traffic target names a revision or is the latest one, not both nor neither");
		}
	}

	public static TrafficTarget revision(String name, int percent, String tag) {
		return new TrafficTarget(name, false, percent, tag);
	}

	public static TrafficTarget latest(int percent) {
		return new TrafficTarget(null, true, percent, null);
	}

	/** A step of the rollout: {@code percent} to the canary, the rest to stable, each tagged. */
	public static List<TrafficTarget> split(String stable, String canary, int percent) {
		return List.of(revision(stable, 100 - percent, STABLE), revision(canary, percent, CANARY));
	}

	/**
	 * Everything to stable; the canary keeps its tag at 0 % (its address stays up for a look at what went wrong,
	 * and the next release finds stable by its tag).
	 */
	public static List<TrafficTarget> rolledBack(String stable, String canary) {
		return List.of(revision(stable, 100, STABLE), revision(canary, 0, CANARY));
	}

	/** Everything to one revision, tagged stable: where a release starts from, so the new revision gets 0 %. */
	public static List<TrafficTarget> pinned(String stable) {
		return List.of(revision(stable, 100, STABLE));
	}

	/**
	 * Promoted: everything to the latest ready revision, untagged, which is what Knative defaults a Service without
	 * {@code spec.traffic} to; a plain {@code kubectl apply -k knative/overlays/<region>} (docs/deploy.md) then
	 * rolls out as it did before any canary.
	 */
	public static List<TrafficTarget> promoted() {
		return List.of(latest(100));
	}

	/** As it appears in {@code spec.traffic}. */
	Map<String, Object> toSpec() {
		Map<String, Object> spec = new LinkedHashMap<>();
		if (latestRevision) {
			spec.put("latestRevision", true);
		}
		else {
			spec.put("revisionName", revisionName);
		}
		spec.put("percent", percent);
		if (tag != null) {
			spec.put("tag", tag);
		}
		return spec;
	}

	@Override
	public String toString() {
		return (latestRevision ? "@latest" : revisionName) + "=" + percent + "%" + (tag == null ? "" : " (" + tag + ")");
	}
}

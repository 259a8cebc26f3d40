package dev.globalevents.canary;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Which revision of a Knative Service is the one serving, read from its {@code status.traffic}: the one tagged
 * {@code stable} (after a rollback, or a release that stopped half-way), else the one taking 100 % (after a
 * promotion, or a Service that never had a canary). Anything else is a split set by hand: the release refuses to
 * guess.
 */
public final class ServingRevision {

	private ServingRevision() {
	}

	/** @param service the Service as {@code kubectl get ksvc <name> -o json} prints it */
	public static String of(JsonNode service) {
		String name = service.path("metadata").path("name").asString();
		JsonNode traffic = service.path("status").path("traffic");
		List<String> stable = new ArrayList<>();
		List<String> whole = new ArrayList<>();
		for (JsonNode target : traffic) {
			String revision = target.path("revisionName").asString();
			if (revision.isEmpty()) {
				continue;
			}
			if (TrafficTarget.STABLE.equals(target.path("tag").asString())) {
				stable.add(revision);
			}
			if (target.path("percent").asInt() == 100) {
				whole.add(revision);
			}
		}
		if (stable.size() == 1) {
			return stable.getFirst();
		}
		if (stable.isEmpty() && whole.size() == 1) {
			return whole.getFirst();
		}
		throw new IllegalStateException("ksvc " + name + " has no single serving revision (status.traffic " + traffic
				+ "): route 100 % to one revision by hand first (docs/release.md, \"Roll back by hand\")");
	}
}

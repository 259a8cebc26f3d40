package dev.globalevents.local.serving;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Knative Service's {@code spec.traffic} as the local stack honours it: each target a named revision or the latest
 * ready one, a percent (all of them totalling 100) and an optional tag. Checked as Knative's webhook checks it, plus
 * one rule of the local stack's: a named revision must exist (a cluster would accept it and report the route not ready).
 */
public record Traffic(List<Target> targets) {

	/** One entry: {@code revision} null means the latest ready revision. */
	public record Target(String revision, int percent, String tag) {

		Map<String, Object> spec() {
			Map<String, Object> spec = new LinkedHashMap<>();
			if (revision == null) {
				spec.put("latestRevision", true);
			}
			else {
				spec.put("revisionName", revision);
			}
			spec.put("percent", percent);
			if (tag != null) {
				spec.put("tag", tag);
			}
			return spec;
		}
	}

	/** What a Service without {@code spec.traffic} gets: everything to the latest ready revision. */
	public static Traffic latest() {
		return new Traffic(List.of(new Target(null, 100, null)));
	}

	/** Parses and checks {@code spec.traffic}; the message of the exception says what is wrong. */
	public static Traffic parse(JsonNode traffic, Set<String> revisions) {
		if (traffic == null || !traffic.isArray() || traffic.isEmpty()) {
			throw new IllegalArgumentException("spec.traffic must be a non-empty list");
		}
		List<Target> targets = new ArrayList<>();
		Set<String> tags = new HashSet<>();
		int total = 0;
		for (JsonNode entry : traffic) {
			boolean latest = entry.path("latestRevision").asBoolean(false);
			String revision = entry.hasNonNull("revisionName") ? entry.get("revisionName").asText() : null;
			if (latest == (revision != null)) {
				throw new IllegalArgumentException("each traffic target has either revisionName or latestRevision: true: " + entry);
			}
			if (revision != null && !revisions.contains(revision)) {
				throw new IllegalArgumentException("no revision " + revision + " (revisions: " + revisions + ")");
			}
			if (!entry.path("percent").canConvertToInt() || entry.get("percent").asInt() < 0 || entry.get("percent").asInt() > 100) {
				throw new IllegalArgumentException("percent must be a whole number 0..100: " + entry);
			}
			String tag = entry.hasNonNull("tag") ? entry.get("tag").asText() : null;
			if (tag != null && !tags.add(tag)) {
				throw new IllegalArgumentException("tag " + tag + " is used twice");
			}
			total += entry.get("percent").asInt();
			targets.add(new Target(revision, entry.get("percent").asInt(), tag));
		}
		if (total != 100) {
			throw new IllegalArgumentException("traffic percentages total " + total + ", not 100");
		}
		return new Traffic(List.copyOf(targets));
	}

	/** The revision a request goes to: {@code draw} in [0, 100) picks by the percents. */
	public String pick(double draw, String latestReady) {
		double upTo = 0;
		for (Target target : targets) {
			upTo += target.percent();
			if (draw < upTo) {
				return target.revision() == null ? latestReady : target.revision();
			}
		}
		throw new IllegalStateException("percentages total less than 100: " + targets); // parse() forbids it
	}

	/** The revision a tag routes to, or null when no target has that tag. */
	public String tagged(String tag, String latestReady) {
		return targets.stream().filter(t -> tag.equals(t.tag())).findFirst()
				.map(t -> t.revision() == null ? latestReady : t.revision()).orElse(null);
	}

	/** As {@code spec.traffic}. */
	public List<Map<String, Object>> spec() {
		return targets.stream().map(Target::spec).toList();
	}

	/** As {@code status.traffic}: the latest ready revision resolved to its name. */
	public List<Map<String, Object>> status(String latestReady) {
		return targets.stream().map(t -> {
			Map<String, Object> status = new LinkedHashMap<>(t.spec());
			status.put("revisionName", t.revision() == null ? latestReady : t.revision());
			return status;
		}).toList();
	}
}

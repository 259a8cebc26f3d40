package dev.globalevents.local;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.globalevents.local.serving.RevisionScaler;
import dev.globalevents.local.serving.Scaling;
import dev.globalevents.local.serving.ServiceRevisions;

/**
 * What the live page shows of Knative Serving in the local stack: per region and Service, its instances (ready,
 * wanted), the scale its annotations allow, requests in flight, and the latest cold starts of all of them. A routed
 * Service ({@code LOCAL_REVISIONS}) scales as its autoscaler decides; another is one process, always on.
 */
final class ServingView {

	private static final int LATEST_COLD_STARTS = 10;

	private final LocalStack stack;

	ServingView(LocalStack stack) {
		this.stack = stack;
	}

	Map<String, Object> describe() {
		List<Map<String, Object>> services = new ArrayList<>();
		List<Map<String, Object>> coldStarts = new ArrayList<>();
		Map<String, Boolean> seen = new LinkedHashMap<>();
		for (FunctionProcess function : List.copyOf(stack.functions())) {
			String key = function.region() + "/" + function.service();
			if (seen.put(key, true) != null) {
				continue; // a further revision or instance: described with its Service
			}
			ServiceRevisions routed = stack.routed().get(key);
			services.add(routed == null ? alwaysOn(function) : scaled(function.region(), routed, coldStarts));
		}
		coldStarts.sort(Comparator.comparing((Map<String, Object> c) -> c.get("at").toString()).reversed());
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("services", services);
		view.put("cold_starts", coldStarts.subList(0, Math.min(LATEST_COLD_STARTS, coldStarts.size())));
		return view;
	}

	private static Map<String, Object> alwaysOn(FunctionProcess function) {
		Map<String, Object> row = row(function.region(), function.service(), false);
		int ready = function.alive() && function.ready() ? 1 : 0;
		row.put("ready", ready);
		row.put("wanted", 1);
		row.put("scale", "always on (not routed)");
		row.put("in_flight", null); // counted only by a route
		row.put("cold_starts", 0);
		return row;
	}

	/** A routed Service: its revisions' instances summed, its scale bounds, and each revision's cold starts. */
	private static Map<String, Object> scaled(String region, ServiceRevisions service, List<Map<String, Object>> coldStarts) {
		Map<String, Object> row = row(region, service.name(), true);
		long ready = 0;
		long wanted = 0;
		long inFlight = 0;
		long starts = 0;
		Scaling scaling = null;
		for (Map.Entry<String, RevisionScaler.Status> revision : service.statuses().entrySet()) {
			RevisionScaler.Status status = revision.getValue();
			ready += status.actualReplicas();
			wanted += status.desiredReplicas();
			inFlight += status.inFlight();
			scaling = status.scaling();
			for (RevisionScaler.ColdStart start : status.coldStarts()) {
				starts++;
				coldStarts.add(Map.of("at", start.at().toString(), "region", region, "service", service.name(), "revision", revision.getKey(),
						"instance", start.instance(), "ms", start.ms()));
			}
		}
		row.put("ready", ready);
		row.put("wanted", wanted);
		row.put("scale", scaling == null ? "" : scaling.minScale() + "–" + scaling.maxScale() + " at " + scaling.concurrency() + " in flight each");
		row.put("in_flight", inFlight);
		row.put("cold_starts", starts);
		return row;
	}

	private static Map<String, Object> row(String region, String service, boolean routed) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("region", region);
		row.put("service", service);
		row.put("routed", routed);
		return row;
	}
}

package dev.globalevents.aggregate.sync;

import dev.globalevents.aggregate.windows.WindowQuery;
import dev.globalevents.aggregate.windows.WindowSnapshot;
import dev.globalevents.aggregate.windows.Windows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.globalevents.events.Json;
import dev.globalevents.events.Regions;
import dev.globalevents.events.WindowSummary;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /global?last=N}: the newest N closed windows (default 6) summed over every region that published
 * them, with merged histograms, the per-region counts and the regions missing from each window; and, per region,
 * how fresh its data is. A region that is down simply stops adding windows: the view keeps working with the
 * others and marks it {@code stale}.
 */
public final class GlobalQuery {

	private final GlobalStore store;
	private final Windows windows;
	private final Duration staleAfter;
	private final Clock clock;

	public GlobalQuery(GlobalStore store, Windows windows, Duration staleAfter, Clock clock) {
		this.store = store;
		this.windows = windows;
		this.staleAfter = staleAfter;
		this.clock = clock;
	}

	public Mono<ServerResponse> handle(ServerRequest request) {
		int last = request.queryParam("last").map(Integer::parseInt).filter(n -> n > 0 && n <= 360).orElse(6);
		return store.recent(last).zipWith(store.freshness())
				.flatMap(result -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
						.bodyValue(Json.MAPPER.writeValueAsBytes(view(result.getT1(), result.getT2(), clock.millis()))));
	}

	public Map<String, Object> view(Map<Long, Map<String, WindowSummary>> recent, Map<String, GlobalStore.Freshness> freshness,
			long now) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("generated_at", Instant.ofEpochMilli(now).toString());
		body.put("window_size_ms", windows.sizeMillis());
		body.put("stale_after_s", staleAfter.toSeconds());
		body.put("regions", regions(freshness, now));
		List<Map<String, Object>> views = new ArrayList<>();
		recent.forEach((start, byRegion) -> views.add(window(start, byRegion)));
		body.put("windows", views);
		return body;
	}

	private Map<String, Object> regions(Map<String, GlobalStore.Freshness> freshness, long now) {
		Map<String, Object> regions = new LinkedHashMap<>();
		for (String region : Regions.all()) {
			Map<String, Object> view = new LinkedHashMap<>();
			GlobalStore.Freshness fresh = freshness.get(region);
			if (fresh == null) {
				view.put("status", "never");
			}
			else {
				double age = (now - fresh.latestWindowEnd()) / 1000.0;
				view.put("status", age > staleAfter.toSeconds() ? "stale" : "fresh");
				view.put("latest_window_end", Instant.ofEpochMilli(fresh.latestWindowEnd()).toString());
				view.put("age_s", age);
				view.put("last_heard", Instant.ofEpochMilli(fresh.lastHeard()).toString());
			}
			regions.put(region, view);
		}
		return regions;
	}

	private Map<String, Object> window(long start, Map<String, WindowSummary> byRegion) {
		WindowSnapshot.TypeStats total = WindowSnapshot.TypeStats.EMPTY;
		Map<String, WindowSnapshot.TypeStats> types = new java.util.TreeMap<>();
		Map<String, Object> perRegion = new LinkedHashMap<>();
		for (WindowSummary summary : byRegion.values()) {
			WindowSnapshot snapshot = WindowSnapshot.of(summary);
			total = total.merge(snapshot.total());
			snapshot.types().forEach((type, stats) -> types.merge(type, stats, WindowSnapshot.TypeStats::merge));
			perRegion.put(summary.region(), Map.of("count", snapshot.total().count(), "closed_at", summary.closedAt()));
		}
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("start", Instant.ofEpochMilli(start).toString());
		view.put("end", Instant.ofEpochMilli(windows.end(start)).toString());
		view.put("regions", perRegion);
		view.put("missing", Regions.all().stream().filter(r -> !byRegion.containsKey(r)).toList());
		view.put("total", WindowQuery.stats(total));
		Map<String, Object> typeViews = new LinkedHashMap<>();
		types.forEach((type, stats) -> typeViews.put(type, WindowQuery.stats(stats)));
		view.put("types", typeViews);
		return view;
	}
}

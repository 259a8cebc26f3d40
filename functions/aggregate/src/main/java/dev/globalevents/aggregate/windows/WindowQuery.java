package dev.globalevents.aggregate.windows;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.globalevents.events.Json;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /windows?last=N&type=T}: the region's last N windows (default 6), newest first, each with totals
 * (count, errors, error rate, mean and p50/p95/p99 end-to-end latency — event time to aggregated —, mean, p50 and
 * p99 processing latency — validated to aggregated) and per-type figures; plus the queue depth.
 */
public final class WindowQuery {

	private final WindowStore store;
	private final Windows windows;
	private final String region;
	private final Clock clock;

	public WindowQuery(WindowStore store, Windows windows, String region, Clock clock) {
		this.store = store;
		this.windows = windows;
		this.region = region;
		this.clock = clock;
	}

	public Mono<ServerResponse> handle(ServerRequest request) {
		int last = request.queryParam("last").map(Integer::parseInt).filter(n -> n > 0 && n <= 360).orElse(6);
		String type = request.queryParam("type").orElse(null);
		long newest = windows.start(clock.millis());
		return Flux.range(0, last)
				.concatMap(i -> store.read(newest - i * windows.sizeMillis()))
				.map(window -> view(window, type))
				.collectList()
				.zipWith(store.queueDepth())
				.flatMap(result -> {
					Map<String, Object> body = new LinkedHashMap<>();
					body.put("region", region);
					body.put("window_size_ms", windows.sizeMillis());
					body.put("queue_depth", result.getT2());
					body.put("windows", result.getT1());
					return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(Json.MAPPER.writeValueAsBytes(body));
				});
	}

	public static Map<String, Object> view(WindowSnapshot window, String type) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("start", Instant.ofEpochMilli(window.start()).toString());
		view.put("end", Instant.ofEpochMilli(window.end()).toString());
		view.put("closed", window.closed());
		view.put("total", stats(window.total()));
		Map<String, Object> types = new LinkedHashMap<>();
		window.types().forEach((t, s) -> {
			if (type == null || type.equals(t)) {
				types.put(t, stats(s));
			}
		});
		view.put("types", types);
		return view;
	}

	public static Map<String, Object> stats(WindowSnapshot.TypeStats s) {
		Map<String, Object> stats = new LinkedHashMap<>();
		stats.put("count", s.count());
		stats.put("errors", s.errors());
		stats.put("error_rate", s.errorRate());
		stats.put("latency_mean_ms", s.meanE2eMillis());
		stats.put("latency_p50_ms", s.e2e().percentile(0.5));
		stats.put("latency_p95_ms", s.e2e().percentile(0.95));
		stats.put("latency_p99_ms", s.e2e().percentile(0.99));
		stats.put("processing_mean_ms", s.meanTransitMillis());
		stats.put("processing_p50_ms", s.transit().percentile(0.5));
		stats.put("processing_p99_ms", s.transit().percentile(0.99));
		stats.put("histogram", s.e2e().sparse());
		stats.put("transit_histogram", s.transit().sparse());
		return stats;
	}

}

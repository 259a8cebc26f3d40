package dev.globalevents.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The local stack's live page: {@code GET /} (updates itself every second) and {@code GET /api/state} — per region
 * and globally events/s, processing latency (validated → aggregated: mean, p50, p99, against the 100 ms target for
 * the mean) apart from end-to-end latency (event time → aggregated: p50, p99), error rate and queue depth, from each
 * region's aggregate ({@code /windows}, {@code /global}); the load running (each region's generate: rate, tick mode,
 * chaos); each Service's instances and the latest cold starts ({@link ServingView}); and the latest quarantined
 * events with their reasons. Below them, plots of Grafana's overview panels from
 * ClickHouse ({@link Plots}: {@code GET /api/plots}, the charting library under {@code /assets/}).
 */
final class Dashboard implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** The seed's target for the mean processing latency. */
	static final double PROCESSING_TARGET_MS = 100;

	private final Map<String, URI> aggregates;
	private final Map<String, URI> quarantines;
	private final Map<String, URI> generators;
	private final StackOptions.Traffic traffic;
	private final java.util.function.Supplier<Map<String, Object>> serving;
	private final HttpServer server;
	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
	private final byte[] page;

	Dashboard(Map<String, URI> aggregates, Map<String, URI> quarantines, Map<String, URI> generators, StackOptions.Traffic traffic,
			java.util.function.Supplier<Map<String, Object>> serving, Plots plots, int port) {
		this.aggregates = aggregates;
		this.quarantines = quarantines;
		this.generators = generators;
		this.traffic = traffic;
		this.serving = serving;
		try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/index.html")) {
			page = in.readAllBytes();
			server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/api/state", exchange -> respond(exchange, 200, "application/json", JSON.writeValueAsBytes(state())));
		server.createContext(Plots.PATH, plots::handle);
		server.createContext(Plots.ASSETS, plots::asset);
		server.createContext("/", exchange -> respond(exchange, 200, "text/html; charset=utf-8", page));
		server.start();
		System.out.println("[local] live page listening on " + url());
	}

	/** Serves more paths on the page's server (the stack's control API). */
	void serve(String path, com.sun.net.httpserver.HttpHandler handler) {
		server.createContext(path, handler);
	}

	URI url() {
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
	}

	Map<String, Object> state() {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("generated_at", Instant.now().toString());
		Map<String, Object> regions = new LinkedHashMap<>();
		JsonNode global = null;
		for (var region : aggregates.entrySet()) {
			JsonNode windows = get(region.getValue().resolve("/windows?last=6"));
			regions.put(region.getKey(), windows == null ? Map.of("status", "down") : figures(windows));
			if (global == null) {
				global = get(region.getValue().resolve("/global?last=1"));
			}
		}
		state.put("regions", regions);
		state.put("global", global == null || global.get("windows").isEmpty() ? Map.of() : globalFigures(global));
		Map<String, Object> instances = serving.get();
		state.put("load", load(instances));
		state.put("serving", instances);
		state.put("processing_target_ms", PROCESSING_TARGET_MS);
		List<Map<String, Object>> quarantined = new ArrayList<>();
		for (var region : quarantines.entrySet()) {
			JsonNode q = get(region.getValue().resolve("/quarantine?limit=10"));
			if (q != null) {
				for (JsonNode entry : q.get("entries")) {
					Map<String, Object> row = new LinkedHashMap<>();
					row.put("region", region.getKey());
					row.put("received_at", entry.get("received_at").asText());
					row.put("type", entry.path("type").asText(""));
					row.put("event_id", entry.path("event_id").asText(""));
					row.put("status", entry.at("/error/status").asText(""));
					row.put("reason", reason(entry.at("/error/answer").asText("")));
					quarantined.add(row);
				}
			}
		}
		quarantined.sort(Comparator.comparing((Map<String, Object> r) -> r.get("received_at").toString()).reversed());
		state.put("quarantine", quarantined.subList(0, Math.min(10, quarantined.size())));
		return state;
	}

	/** events/s over the last six windows; latency, error rate of the newest window with events; queue depth now. */
	private static Map<String, Object> figures(JsonNode windows) {
		long windowMs = windows.get("window_size_ms").asLong();
		long total = 0;
		JsonNode newest = null;
		for (JsonNode window : windows.get("windows")) {
			long count = window.at("/total/count").asLong();
			total += count;
			if (newest == null && count > 0) {
				newest = window;
			}
		}
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("status", "up");
		figures.put("events_total", total);
		figures.put("events_per_s", total / (6.0 * windowMs / 1000.0));
		latencies(figures, newest == null ? null : newest.get("total"));
		figures.put("error_rate", newest == null ? 0 : newest.at("/total/error_rate").asDouble());
		figures.put("queue_depth", windows.get("queue_depth").asLong());
		return figures;
	}

	/** The newest window of the global view (all regions' summaries merged). */
	private static Map<String, Object> globalFigures(JsonNode global) {
		JsonNode window = global.at("/windows/0");
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("window_start", window.get("start").asText());
		figures.put("count", window.at("/total/count").asLong());
		latencies(figures, window.get("total"));
		figures.put("error_rate", window.at("/total/error_rate").asDouble());
		figures.put("missing", window.get("missing"));
		figures.put("regions", global.get("regions"));
		return figures;
	}

	/** Processing (validated → aggregated) and end-to-end (event time → aggregated) latency, kept apart. */
	private static void latencies(Map<String, Object> figures, JsonNode total) {
		for (String figure : List.of("processing_mean_ms", "processing_p50_ms", "processing_p99_ms", "latency_mean_ms",
				"latency_p50_ms", "latency_p99_ms")) {
			figures.put(figure, total == null ? 0 : total.path(figure).asDouble());
		}
	}

	/** What load runs: the stack's traffic switch and, per region, generate's rate, tick mode and chaos. */
	private Map<String, Object> load(Map<String, Object> instances) {
		Map<String, Object> load = new LinkedHashMap<>();
		load.put("traffic", traffic.label());
		Map<String, Object> regions = new LinkedHashMap<>();
		for (var region : generators.entrySet()) {
			JsonNode stats = get(region.getValue().resolve("/stats"));
			JsonNode chaos = get(region.getValue().resolve("/chaos"));
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("rate_per_s", traffic == StackOptions.Traffic.OFF || stats == null ? 0 : stats.path("rate_per_s").asDouble());
			figures.put("ping_mode", stats != null ? stats.path("ping_mode").asText() : scaledToZero(instances, region.getKey()) ? "scaled to zero" : "down");
			figures.put("sent", stats == null ? 0 : stats.path("generated").asLong());
			Map<String, Object> faults = new LinkedHashMap<>();
			if (chaos != null) { // the faults switched on (shares, delays, skew), not their parameters
				chaos.properties().forEach(e -> {
					boolean fault = e.getKey().endsWith("_share") || e.getKey().startsWith("latency") || e.getKey().equals("clock_skew_s");
					if (fault && e.getValue().isNumber() && e.getValue().asDouble() != 0) {
						faults.put(e.getKey(), e.getValue().asDouble());
					}
				});
				for (String until : List.of("burst_until", "blackout_until")) {
					if (chaos.hasNonNull(until) && Instant.parse(chaos.get(until).asText()).isAfter(Instant.now())) {
						faults.put(until, chaos.get(until).asText());
					}
				}
			}
			figures.put("chaos", faults);
			regions.put(region.getKey(), figures);
		}
		load.put("regions", regions);
		return load;
	}

	/** Whether generate of the region has no instance because its autoscaler stopped it (not because it failed). */
	private static boolean scaledToZero(Map<String, Object> instances, String region) {
		return ((List<?>) instances.get("services")).stream().map(Map.class::cast)
				.anyMatch(s -> region.equals(s.get("region")) && "generate".equals(s.get("service")) && Boolean.TRUE.equals(s.get("routed"))
						&& ((Number) s.get("ready")).longValue() == 0);
	}

	private static String reason(String answer) {
		try {
			JsonNode problem = JSON.readTree(answer);
			return problem.path("detail").asText(answer);
		}
		catch (IOException e) {
			return answer;
		}
	}

	private JsonNode get(URI uri) {
		try {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
		}
		catch (IOException e) {
			return null;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
		try (exchange) {
			exchange.getResponseHeaders().set("Content-Type", type);
			exchange.getResponseHeaders().set("Cache-Control", "no-store");
			exchange.sendResponseHeaders(status, body.length);
			exchange.getResponseBody().write(body);
		}
	}

	static void problem(HttpExchange exchange, int status, String code, String detail) throws IOException {
		respond(exchange, status, "application/problem+json", JSON.writeValueAsBytes(Map.of("type", "urn:globalevents:problem:" + code,
				"title", code, "status", status, "detail", detail)));
	}

	@Override
	public void close() {
		server.stop(0);
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}
}

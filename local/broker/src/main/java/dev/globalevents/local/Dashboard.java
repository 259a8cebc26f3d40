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
 * and globally events/s, latency p50/p99, error rate and queue depth, from each region's aggregate
 * ({@code /windows}, {@code /global}), and the latest quarantined events with their reasons.
 */
final class Dashboard implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Map<String, URI> aggregates;
	private final Map<String, URI> quarantines;
	private final HttpServer server;
	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
	private final byte[] page;

	Dashboard(Map<String, URI> aggregates, Map<String, URI> quarantines, int port) {
		this.aggregates = aggregates;
		this.quarantines = quarantines;
		try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/index.html")) {
			page = in.readAllBytes();
			server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/api/state", exchange -> respond(exchange, "application/json", JSON.writeValueAsBytes(state())));
		server.createContext("/", exchange -> respond(exchange, "text/html; charset=utf-8", page));
		server.start();
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
		state.put("global", global == null || global.get("windows").isEmpty() ? Map.of()
				: Map.of("window_start", global.at("/windows/0/start").asText(), "count", global.at("/windows/0/total/count").asLong(),
						"latency_p50_ms", global.at("/windows/0/total/latency_p50_ms").asDouble(),
						"latency_p99_ms", global.at("/windows/0/total/latency_p99_ms").asDouble(),
						"error_rate", global.at("/windows/0/total/error_rate").asDouble(),
						"missing", global.at("/windows/0/missing"), "regions", global.get("regions")));
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
		figures.put("latency_p50_ms", newest == null ? 0 : newest.at("/total/latency_p50_ms").asDouble());
		figures.put("latency_p99_ms", newest == null ? 0 : newest.at("/total/latency_p99_ms").asDouble());
		figures.put("error_rate", newest == null ? 0 : newest.at("/total/error_rate").asDouble());
		figures.put("queue_depth", windows.get("queue_depth").asLong());
		return figures;
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

	private static void respond(HttpExchange exchange, String type, byte[] body) throws IOException {
		try (exchange) {
			exchange.getResponseHeaders().set("Content-Type", type);
			exchange.getResponseHeaders().set("Cache-Control", "no-store");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}
}

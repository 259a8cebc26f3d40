package dev.globalevents.canary;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Instant queries against Prometheus' HTTP API ({@code GET /api/v1/query?query=…&time=…}), for queries that
 * aggregate to one value.
 */
public final class PrometheusClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final URI base;
	private final HttpClient http;
	private final Duration timeout;

	/** @param base Prometheus' address, e.g. {@code http://127.0.0.1:9090/} (a path prefix is kept) */
	public PrometheusClient(URI base, Duration timeout) {
		String address = base.toString();
		this.base = URI.create(address.endsWith("/") ? address : address + "/");
		this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
		this.timeout = timeout;
	}

	/**
	 * The value of {@code promql} at {@code time}: empty when no series matched (a sum over nothing); an error when
	 * Prometheus refuses the query or answers more than one series.
	 */
	public OptionalDouble query(String promql, Instant time) throws IOException {
		URI uri = base.resolve("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + seconds(time));
		HttpResponse<String> response;
		try {
			response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while querying Prometheus", e);
		}
		JsonNode answer;
		try {
			answer = JSON.readTree(response.body());
		}
		catch (JacksonException e) {
			throw new IOException("Prometheus answered " + response.statusCode() + " with no JSON: " + abbreviate(response.body()), e);
		}
		if (response.statusCode() != 200 || !"success".equals(answer.path("status").asString())) {
			throw new IOException("Prometheus answered " + response.statusCode() + " to " + promql + ": " + answer.path("errorType").asString() + " "
					+ answer.path("error").asString());
		}
		JsonNode data = answer.path("data");
		return switch (data.path("resultType").asString()) {
			case "scalar" -> OptionalDouble.of(number(data.path("result").path(1)));
			case "vector" -> {
				JsonNode result = data.path("result");
				if (result.isEmpty()) {
					yield OptionalDouble.empty();
				}
				if (result.size() > 1) {
					throw new IOException(promql + " matched " + result.size() + " series, not one: aggregate it");
				}
				yield OptionalDouble.of(number(result.path(0).path("value").path(1)));
			}
			default -> throw new IOException(promql + " gave a " + data.path("resultType").asString() + ", not a vector or scalar");
		};
	}

	/** Prometheus writes sample values as strings: "12.5", "NaN", "+Inf". */
	private static double number(JsonNode value) throws IOException {
		String text = value.asString();
		return switch (text) {
			case "NaN" -> Double.NaN;
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			default -> {
				try {
					yield Double.parseDouble(text);
				}
				catch (NumberFormatException e) {
					throw new IOException("not a sample value: " + value, e);
				}
			}
		};
	}

	/** Unix time in seconds with milliseconds, as the API takes it. */
	static String seconds(Instant time) {
		return BigDecimal.valueOf(time.toEpochMilli()).movePointLeft(3).toPlainString();
	}

	private static String abbreviate(String text) {
		return text.length() <= 200 ? text : text.substring(0, 200) + "…";
	}
}

package dev.globalevents.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An outside sender and reader of the packaged stack: CloudEvents through the gateway with the producer key, reads of
 * what aggregate counted (through its own port, and through the gateway with the admin key), the quarantine and
 * Prometheus meters. Counts are totals since the stack started, so tests compare before and after.
 */
final class Client {

	static final ObjectMapper JSON = new ObjectMapper();
	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	static final String ORDER = "{\"order_id\":\"o-1\",\"customer_id\":\"c-1\",\"amount\":12.5,\"currency\":\"EUR\",\"items\":1}";

	private final PackagedStack stack;

	Client(PackagedStack stack) {
		this.stack = stack;
	}

	HttpResponse<String> binary(String id, String type, String data) throws IOException, InterruptedException {
		return post(stack.gateway().resolve("/v1/events"), "application/json", data, Map.of("Ce-Specversion", "1.0", "Ce-Id", id,
				"Ce-Source", "/regions/" + PackagedStack.REGION + "/instances/e2e", "Ce-Type", type, "Ce-Time", Instant.now().toString()));
	}

	HttpResponse<String> structured(String id, String type, String data) throws IOException, InterruptedException {
		String event = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/regions/" + PackagedStack.REGION
				+ "/instances/e2e\",\"type\":\"" + type + "\",\"time\":\"" + Instant.now() + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
		return post(stack.gateway().resolve("/v1/events"), "application/cloudevents+json", event, Map.of());
	}

	/** A POST through the gateway with the producer key, to the test region. */
	HttpResponse<String> post(URI uri, String contentType, String body, Map<String, String> headers) throws IOException, InterruptedException {
		Map<String, String> all = new HashMap<>(headers);
		all.put("Authorization", "Bearer " + stack.producerKey());
		all.put("x-region", PackagedStack.REGION);
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
				.POST(HttpRequest.BodyPublishers.ofString(body));
		all.forEach(request::header);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Events aggregate counted since the stack started (its windows of the last hour). */
	long counted() throws IOException, InterruptedException {
		return total(JSON.readTree(get(stack.function("aggregate").resolve("/windows?last=360"))));
	}

	/** The same count read through the gateway's view route with the admin key. */
	long countedThroughTheGateway() throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(stack.gateway().resolve("/v1/regions/" + PackagedStack.REGION + "/windows?last=360"))
				.timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + stack.adminKey()).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return total(JSON.readTree(response.body()));
	}

	/** A region's global view (its newest 360 windows), read through the gateway with the admin key; the region answers itself. */
	JsonNode global(String viewer) throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(stack.gateway().resolve("/v1/global?last=360"))
				.timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + stack.adminKey()).header("x-region", viewer).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("x-region")).hasValue(viewer);
		return JSON.readTree(response.body());
	}

	static long total(JsonNode windows) {
		long total = 0;
		for (JsonNode window : windows.get("windows")) {
			total += window.at("/total/count").asLong();
		}
		return total;
	}

	JsonNode quarantine() throws IOException, InterruptedException {
		return JSON.readTree(get(stack.function("quarantine").resolve("/quarantine?limit=1000")));
	}

	/** Replays quarantine entries (by entry id) to the broker, as an operator does; answers the quarantine's report. */
	JsonNode replay(List<String> ids) throws IOException, InterruptedException {
		HttpResponse<String> replay = HTTP.send(HttpRequest.newBuilder(stack.function("quarantine").resolve("/quarantine/replay"))
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("ids", ids))))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
		return JSON.readTree(replay.body());
	}

	long quarantined() throws IOException, InterruptedException {
		return quarantine().get("size").asLong();
	}

	/** The sum of a Prometheus meter's samples whose line starts with {@code prefix} (0 when there is none yet). */
	long metric(String function, String prefix) throws IOException, InterruptedException {
		double sum = 0;
		for (String line : get(stack.function(function).resolve("/actuator/prometheus")).split("\n")) {
			if (line.startsWith(prefix)) {
				sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			}
		}
		return (long) sum;
	}

	static String get(URI uri) throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(uri + ": " + response.body()).isEqualTo(200);
		return response.body();
	}
}

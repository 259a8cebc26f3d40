package dev.globalevents.quarantine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Json;
import dev.globalevents.events.testing.RecordingSink;
import dev.globalevents.events.testing.RedisServer;
import dev.globalevents.events.testing.TestEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Dead-lettered requests kept as they came, inspected, and replayed to the broker, against a real redis-server. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QuarantineHttpTest {

	static final RedisServer REDIS = RedisServer.started();
	static final RecordingSink BROKER = new RecordingSink();
	static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("function.redis.url", REDIS::url);
		registry.add("function.sink", BROKER::url);
		registry.add("reporting.interval", () -> "300ms");
	}

	@AfterAll
	static void stop() {
		BROKER.close();
		REDIS.close();
	}

	@Test
	void deadLetteredRequestsAreKeptAsTheyCameShownWithTheirFailureAndReplayedToTheBroker() throws Exception {
		long before = size();
		String problem = "{\"type\":\"urn:globalevents:problem:malformed-json\",\"status\":400}";
		byte[] broken = "{\"order_id\":\"o-1\",\"amou".getBytes(StandardCharsets.UTF_8);
		HttpResponse<String> first = HTTP.send(request("/").header("Content-Type", "application/json")
				.header("Ce-Specversion", "1.0").header("Ce-Id", "b-1").header("Ce-Source", "/regions/eu-west/instances/x")
				.header("Ce-Type", "order.created").header("Ce-Knativeerrordest", "http://validate.demo.svc/")
				.header("Ce-Knativeerrorcode", "400")
				.header("Ce-Knativeerrordata", Base64.getEncoder().encodeToString(problem.getBytes(StandardCharsets.UTF_8)))
				.POST(HttpRequest.BodyPublishers.ofByteArray(broken)).build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> second = HTTP.send(request("/").header("Content-Type", "application/cloudevents+json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(TestEvents.TYPE_RESERVED.structured()))).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(second.statusCode()).isEqualTo(200);
		JsonNode listed = Json.MAPPER.readTree(HTTP.send(request("/quarantine").GET().build(), HttpResponse.BodyHandlers.ofString()).body());
		assertThat(listed.get("size").asLong()).isEqualTo(before + 2);
		JsonNode older = listed.get("entries").get(1);
		assertThat(older.get("event_id").asString()).isEqualTo("b-1");
		assertThat(older.at("/error/status").asString()).isEqualTo("400");
		assertThat(older.at("/error/destination").asString()).isEqualTo("http://validate.demo.svc/");
		assertThat(older.at("/error/answer").asString()).isEqualTo(problem);
		assertThat(older.get("body").asString()).isEqualTo(new String(broken, StandardCharsets.UTF_8));

		HttpResponse<String> replay = HTTP.send(request("/quarantine/replay").header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"ids\":[\"" + older.get("id").asString() + "\"]}")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(Json.MAPPER.readTree(replay.body()).get("replayed")).hasSize(1);
		RecordingSink.Received replayed = replays().getFirst();
		assertThat(replayed.header("ce-id")).isEqualTo("b-1");
		assertThat(replayed.headers().keySet()).noneMatch(h -> h.startsWith("ce-knativeerror"));
		assertThat(replayed.body()).isEqualTo(broken);
		JsonNode after = Json.MAPPER.readTree(HTTP.send(request("/quarantine").GET().build(), HttpResponse.BodyHandlers.ofString()).body());
		assertThat(after.get("size").asLong()).isEqualTo(before + 1);
		assertThat(after.at("/entries/0/headers/content-type").asString()).isEqualTo("application/cloudevents+json");
		assertThat(after.at("/entries/0/body").asString()).contains("\"type\"");
	}

	@Test
	void itsMetricsSamplesReportTheQuarantinesSizeAsItsQueueDepth() throws Exception {
		long size = size();
		HTTP.send(request("/").header("Content-Type", "application/cloudevents+json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(TestEvents.TYPE_RESERVED.structured()))).build(),
				HttpResponse.BodyHandlers.ofString());

		await().atMost(Duration.ofSeconds(10)).until(() -> samples().anyMatch(s -> s.at("/metrics/queue_depth").asLong() == size + 1
				&& s.at("/metrics/event_count").asLong() >= 1));
		assertThat(samples()).allMatch(s -> s.at("/tags/service").asString().equals("quarantine"));
	}

	private long size() throws Exception {
		return Json.MAPPER.readTree(HTTP.send(request("/quarantine").GET().build(), HttpResponse.BodyHandlers.ofString()).body()).get("size").asLong();
	}

	private java.util.stream.Stream<JsonNode> samples() {
		return BROKER.received().stream().filter(r -> CloudEventTypes.METRICS_SAMPLE.equals(r.header("ce-type")))
				.map(r -> Json.MAPPER.readTree(r.body()));
	}

	private java.util.List<RecordingSink.Received> replays() {
		return BROKER.received().stream().filter(r -> !CloudEventTypes.METRICS_SAMPLE.equals(r.header("ce-type"))).toList();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
	}
}

package dev.globalevents.export;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.globalevents.events.Json;
import dev.globalevents.events.testing.TestEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The thin HTTP test: a metrics sample in binary and structured mode into the running app, to TrafficPeak. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExportHttpTest {

	static final HydrolixReceiver TRAFFICPEAK = new HydrolixReceiver("t0ken");
	static final dev.globalevents.events.testing.RedisServer REDIS = dev.globalevents.events.testing.RedisServer.started();
	static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void sink(DynamicPropertyRegistry registry) {
		registry.add("export.sink", () -> "trafficpeak");
		registry.add("function.redis.url", REDIS::url);
		registry.add("export.trafficpeak.url", TRAFFICPEAK::url);
		registry.add("export.trafficpeak.token", () -> "t0ken");
		registry.add("export.batch-wait", () -> "50ms");
	}

	@AfterAll
	static void stop() {
		TRAFFICPEAK.close();
		REDIS.close();
	}

	@Test
	void samplesInBothModesAreAcknowledgedOnceDeliveredAndCounted() throws Exception {
		var structured = ExportFixture.sample("s-structured", "us-east", 2);
		var binary = ExportFixture.sample("s-binary", "us-east", 3);
		HttpRequest.Builder binaryRequest = request("/")
				.POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(binary.get("data"))));
		TestEvents.binaryHeaders(binary).forEach(binaryRequest::setHeader);

		HttpResponse<String> first = HTTP.send(request("/").header("Content-Type", "application/cloudevents+json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(structured))).build(),
				HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> second = HTTP.send(binaryRequest.build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> wrongType = HTTP.send(request("/").header("Content-Type", "application/cloudevents+json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(TestEvents.ORDER_CREATED_FULL.structured())))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(wrongType.statusCode()).isEqualTo(400);
		assertThat(TRAFFICPEAK.requests()).flatExtracting(r -> r.rows().valueStream().map(row -> row.get("id").asString()).toList())
				.containsExactlyInAnyOrder("s-structured", "s-binary");
		assertThat(HTTP.send(request("/actuator/prometheus").GET().build(), HttpResponse.BodyHandlers.ofString()).body())
				.contains("export_rows_total{region=\"us-east\",result=\"sent\",service=\"export-metrics\"} 2.0");
		String health = HTTP.send(request("/actuator/health").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
		assertThat(Json.MAPPER.readTree(health).at("/components/store/details/state").asString()).isEqualTo("delivering");
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
	}
}

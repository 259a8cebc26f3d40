package dev.globalevents.generate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Json;
import dev.globalevents.events.testing.RecordingSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The thin HTTP test: a PingSource tick in binary and structured mode, chaos control and stats. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GenerateHttpTest {

	static final RecordingSink SINK = new RecordingSink();
	static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void sink(DynamicPropertyRegistry registry) {
		registry.add("function.sink", SINK::url);
		registry.add("generate.continuous", () -> "false");
		registry.add("generate.ping-interval", () -> "1s");
		registry.add("function.region", () -> "ap-south");
		registry.add("reporting.interval", () -> "200ms");
	}

	@AfterAll
	static void stopSink() {
		SINK.close();
	}

	@Test
	void aPingTickSendsTheBurstTheRateImpliesAndStatsReconcile() throws Exception {
		double rate = 3 + 2 + 5 + 7 + 1; // ap-south rates of the shipped types
		HttpResponse<String> binary = HTTP.send(request("/").header("Ce-Specversion", "1.0").header("Ce-Id", "tick-1")
				.header("Ce-Source", "/apis/v1/namespaces/demo/pingsources/generate").header("Ce-Type", GenerateFunction.PING)
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
				HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> structured = HTTP.send(request("/").header("Content-Type", "application/cloudevents+json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"specversion\":\"1.0\",\"id\":\"tick-2\",\"source\":\"/ping\",\"type\":\""
						+ GenerateFunction.PING + "\",\"data\":{}}")).build(), HttpResponse.BodyHandlers.ofString());

		assertThat(binary.statusCode()).isEqualTo(200);
		assertThat(binary.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("ce-"));
		assertThat(structured.statusCode()).isEqualTo(200);
		var events = SINK.received().stream().filter(r -> !CloudEventTypes.METRICS_SAMPLE.equals(r.header("ce-type"))).toList();
		assertThat(events).hasSize((int) (2 * rate)).allSatisfy(r ->
				assertThat(r.header("ce-source")).startsWith("/regions/ap-south/instances/"));
		JsonNode stats = Json.MAPPER.readTree(HTTP.send(request("/stats").GET().build(), HttpResponse.BodyHandlers.ofString()).body());
		assertThat(stats.get("generated").asLong()).isEqualTo((long) (2 * rate));
		assertThat(stats.get("acknowledged").asLong()).isEqualTo((long) (2 * rate));
		assertThat(stats.get("region").asString()).isEqualTo("ap-south");
		String prometheus = HTTP.send(request("/actuator/prometheus").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
		assertThat(prometheus).contains("generate_events_total{outcome=\"acknowledged\"").contains("generate_send_seconds_count");
	}

	@Test
	void theFunctionReportsItselfAsMetricsSamples() {
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> SINK.received().stream()
				.anyMatch(r -> CloudEventTypes.METRICS_SAMPLE.equals(r.header("ce-type"))));
		var sample = SINK.received().stream().filter(r -> CloudEventTypes.METRICS_SAMPLE.equals(r.header("ce-type"))).findFirst().orElseThrow();
		JsonNode metrics = Json.MAPPER.readTree(sample.body());
		assertThat(metrics.at("/tags/service").asString()).isEqualTo("generate");
		assertThat(metrics.get("region").asString()).isEqualTo("ap-south");
	}

	@Test
	void chaosIsChangedAtRuntimeAndBadSettingsAreRefusedWithAProblem() throws Exception {
		HttpResponse<String> refused = HTTP.send(request("/chaos").header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString("{\"late_share\":2}")).build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> changed = HTTP.send(request("/chaos").header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString("{\"duplicate_share\":0.1,\"burst_factor\":3,\"burst_seconds\":30}")).build(),
				HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> reset = HTTP.send(request("/chaos").DELETE().build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> wrongType = HTTP.send(request("/").header("Content-Type", "application/cloudevents+json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/x\",\"type\":\"order.created\",\"data\":{}}"))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(Json.MAPPER.readTree(refused.body()).at("/violations/0/field").asString()).isEqualTo("/late_share");
		assertThat(changed.statusCode()).isEqualTo(200);
		JsonNode settings = Json.MAPPER.readTree(changed.body());
		assertThat(settings.get("duplicate_share").asDouble()).isEqualTo(0.1);
		assertThat(settings.get("burst_until").asString()).isNotBlank();
		assertThat(Json.MAPPER.readTree(reset.body()).get("duplicate_share").asDouble()).isZero();
		assertThat(wrongType.statusCode()).isEqualTo(400);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
	}
}

package dev.globalevents.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local stack of one region (us-east) from the knative/ manifests, with real processes: events through the
 * gateway (or the broker's entry point) in both CloudEvents modes, with duplicates and invalid ones, reconcile exactly
 * with what aggregate counted, what the gateway refused and what the quarantine holds — also across a kill -9 of
 * aggregate mid-run. generate's
 * PingSource is left out so that every event is the test's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {

	static final String REGION = "us-east";
	static final Path ROOT = Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
	static final HttpClient HTTP = HttpClient.newHttpClient();
	static final ObjectMapper JSON = new ObjectMapper();

	static LocalStack stack;
	static int sentValid;

	@BeforeAll
	static void start() throws Exception {
		Assumptions.assumeTrue(Rendered.kubectl(), "kubectl is not installed: the end-to-end test needs it to render knative/");
		Path state = Files.createTempDirectory("local-stack-e2e");
		stack = new LocalStack(ROOT, state, Set.of("generate-tick"));
		stack.start(List.of(REGION));
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.stop();
		}
	}

	@Test
	@Order(0)
	void theLocalStackOnlyDeliversOnThisMachineAndEventsEnterThroughTheGateway() {
		assertThat(stack.broker(REGION).subscribers()).isNotEmpty().allMatch(uri -> uri.getHost().equals("127.0.0.1"));
		assertThat(stack.gateway()).as("the Zuplo gateway in front (cd zuplo && npm install)").isNotNull();
	}

	@Test
	@Order(1)
	void everyValidEventIsCountedOnceAndEveryInvalidOneIsQuarantinedWithItsReason() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			String id = UUID.randomUUID().toString();
			ids.add(id);
			assertThat(i % 2 == 0 ? binary(id, "order.created", order()) : structured(id, "order.created", order())).isEqualTo(202);
		}
		for (String id : ids.subList(0, 10)) {
			assertThat(binary(id, "order.created", order())).isEqualTo(202);
		}
		assertThat(binary(UUID.randomUUID().toString(), "order.created", "{\"customer_id\":\"c-1\",\"amount\":1,\"currency\":\"EUR\",\"items\":1}")).isEqualTo(202);
		assertThat(binary(UUID.randomUUID().toString(), "nobody.knows", "{}")).isEqualTo(202);
		// the gateway checks the CloudEvent contract itself: these two are refused at the edge (the sender keeps them);
		// without the gateway they reach validate and end in the quarantine like the two above
		int atTheEdge = stack.gateway() != null ? 400 : 202;
		assertThat(binary(UUID.randomUUID().toString(), "order.created", "{\"order_id\":")).isEqualTo(atTheEdge);
		assertThat(structured("not-a-uuid", "order.created", order())).isEqualTo(atTheEdge);
		sentValid = 40;

		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			assertThat(counted()).isEqualTo(sentValid);
			assertThat(quarantine().get("size").asLong()).isEqualTo(stack.gateway() != null ? 2 : 4);
		});
		assertThat(metric(function("validate"), "validate_events_total{outcome=\"duplicate\"")).isEqualTo(10);
		if (stack.gateway() != null) { // the same windows read through the gateway's view route, with the admin key
			JsonNode viewed = JSON.readTree(get(stack.gateway().url().resolve("/v1/regions/" + REGION + "/windows?last=360"), Gateway.ADMIN_KEY));
			assertThat(total(viewed)).isEqualTo(sentValid);
		}
		for (JsonNode entry : quarantine().get("entries")) {
			assertThat(entry.at("/error/status").asText()).isEqualTo("400");
			assertThat(entry.at("/error/answer").asText()).contains("urn:globalevents:problem:");
		}
	}

	@Test
	@Order(2)
	void aggregateKilledMidRunLosesNothingWhatTheBrokerGaveUpOnIsReplayedFromTheQuarantine() throws Exception {
		FunctionProcess aggregate = stack.function(REGION, "aggregate");
		long quarantinedBefore = quarantine().get("size").asLong();

		aggregate.kill();
		for (int i = 0; i < 20; i++) {
			assertThat(binary(UUID.randomUUID().toString(), "order.created", order())).isEqualTo(202);
		}
		sentValid += 20;
		// aggregate stays down past the Trigger's retries (5, exponential from 0.2 s): the broker dead-letters them
		await().atMost(Duration.ofSeconds(60)).until(() -> quarantine().get("size").asLong() == quarantinedBefore + 20);
		aggregate.restart();
		await().atMost(Duration.ofSeconds(120)).until(aggregate::ready);

		List<String> undelivered = new ArrayList<>();
		for (JsonNode entry : quarantine().get("entries")) {
			if ("dev.globalevents.event.validated".equals(entry.get("type").asText())) {
				assertThat(entry.at("/error/status").asText()).isEqualTo("500");
				undelivered.add(entry.get("id").asText());
			}
		}
		assertThat(undelivered).hasSize(20);
		post(function("quarantine").resolve("/quarantine/replay"), "application/json",
				JSON.writeValueAsString(Map.of("ids", undelivered)), Map.of());
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(counted()).isEqualTo(sentValid));
		assertThat(quarantine().get("size").asLong()).isEqualTo(quarantinedBefore);
	}

	@Test
	@Order(3)
	void theLivePageInHeadlessChromiumShowsLiveChangingNumbers() throws Exception {
		Assumptions.assumeTrue(Chromium.available(), "chromium is not installed: the live page was not checked in a browser");
		long before = Long.parseLong(Chromium.metric(stack.dashboard().url(), "us-east.events_total"));

		for (int i = 0; i < 10; i++) {
			assertThat(binary(UUID.randomUUID().toString(), "order.created", order())).isEqualTo(202);
		}
		sentValid += 10;
		await().atMost(Duration.ofSeconds(60)).until(() -> counted() == sentValid);

		long after = Long.parseLong(Chromium.metric(stack.dashboard().url(), "us-east.events_total"));
		assertThat(after).isGreaterThanOrEqualTo(before + 10);
		assertThat(Chromium.dom(stack.dashboard().url())).contains("data-metric=\"us-east.queue_depth\"")
				.contains("data-metric=\"quarantine.reason\"");
	}

	/** Events aggregate counted since it started, across restarts: Redis's agg:count, through the queue depth. */
	static long counted() throws Exception {
		return total(JSON.readTree(get(function("aggregate").resolve("/windows?last=360"))));
	}

	static long total(JsonNode windows) {
		long total = 0;
		for (JsonNode window : windows.get("windows")) {
			total += window.at("/total/count").asLong();
		}
		return total;
	}

	static JsonNode quarantine() throws Exception {
		return JSON.readTree(get(function("quarantine").resolve("/quarantine?limit=1000")));
	}

	static long metric(URI service, String prefix) throws Exception {
		for (String line : get(service.resolve("/actuator/prometheus")).split("\n")) {
			if (line.startsWith(prefix)) {
				return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			}
		}
		return 0;
	}

	static URI function(String name) {
		return stack.function(REGION, name).url();
	}

	static String order() {
		return "{\"order_id\":\"o-1\",\"customer_id\":\"c-1\",\"amount\":12.5,\"currency\":\"EUR\",\"items\":1}";
	}

	/** The entry point: the Zuplo gateway when its packages are installed (make test installs them first), else the broker. */
	static URI entry() {
		return stack.gateway() != null ? stack.gateway().url().resolve("/v1/events") : stack.ingress(REGION);
	}

	static Map<String, String> entryHeaders(Map<String, String> headers) {
		Map<String, String> all = new java.util.HashMap<>(headers);
		if (stack.gateway() != null) {
			all.put("Authorization", "Bearer " + Gateway.LOCAL_KEY);
			all.put("x-region", REGION);
		}
		return all;
	}

	static int binary(String id, String type, String data) throws Exception {
		return post(entry(), "application/json", data, entryHeaders(Map.of("Ce-Specversion", "1.0", "Ce-Id", id,
				"Ce-Source", "/regions/us-east/instances/e2e", "Ce-Type", type, "Ce-Time", Instant.now().toString())));
	}

	static int structured(String id, String type, String data) throws Exception {
		String event = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/regions/us-east/instances/e2e\",\"type\":\""
				+ type + "\",\"time\":\"" + Instant.now() + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
		return post(entry(), "application/cloudevents+json", event, entryHeaders(Map.of()));
	}

	static int post(URI uri, String contentType, String body, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
				.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	static String get(URI uri) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	/** A GET through the gateway with an API key; the answer must be 200. */
	static String get(URI uri, String key) throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	/** Whether kubectl can render manifests here. */
	static final class Rendered {

		static boolean kubectl() {
			try {
				return new ProcessBuilder("kubectl", "version", "--client").start().waitFor() == 0;
			}
			catch (Exception e) {
				return false;
			}
		}
	}
}

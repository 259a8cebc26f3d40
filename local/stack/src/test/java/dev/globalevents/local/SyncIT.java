package dev.globalevents.local;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cross-region sync as deployed, in the packaged three-region stack: a region's closed-window summaries leave through
 * its sync relay with its sync credential, pass the gateway's {@code /v1/regions/<peer>/sync} and enter each peer
 * through the peer's edge. Only eu-west and ap-south get events here, so their counts are this test's own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncIT extends StackTest {

	static final Map<String, Integer> SENT = Map.of("eu-west", 3, "ap-south", 5);

	@org.junit.jupiter.api.BeforeAll
	static void threeRegions() {
		assertThat(PackagedStack.REGIONS).as("stack.regions (local/stack/pom.xml runs this test on the three regions)")
				.containsExactly("us-east", "eu-west", "ap-south");
	}

	@Test
	@Order(1)
	void everyRegionsSummariesReachEveryRegionsGlobalViewThroughTheGatewayExactlyOnce() throws Exception {
		Map<String, Map<String, Long>> before = views();
		for (var sent : SENT.entrySet()) {
			for (int i = 0; i < sent.getValue(); i++) {
				HttpResponse<String> response = send(sent.getKey());
				assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
				assertThat(response.headers().firstValue("x-region")).hasValue(sent.getKey());
			}
		}
		// windows close 30 s after their end; a summary then takes relay -> gateway -> peer edge -> peer broker -> aggregate
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			Map<String, Map<String, Long>> after = views();
			for (String viewer : PackagedStack.REGIONS) {
				for (var sent : SENT.entrySet()) {
					assertThat(after.get(viewer).get(sent.getKey()) - before.get(viewer).get(sent.getKey()))
							.as(viewer + "'s global view of " + sent.getKey()).isEqualTo(sent.getValue().longValue());
				}
			}
			// us-east's own summaries (of the other tests' events) are the same in every region's view
			assertThat(PackagedStack.REGIONS.stream().map(viewer -> after.get(viewer).get("us-east")).distinct()).hasSize(1);
		});
	}

	@Test
	@Order(2)
	void aSyncWithoutOrWithAForgedCredentialOrForAnotherRegionIsRefusedAndAReplayedOldSummaryChangesNothing() throws Exception {
		JsonNode newest = null;
		for (JsonNode window : global("ap-south").get("windows")) { // newest first
			if (newest == null && window.at("/regions/eu-west/count").asLong() > 0) {
				newest = window;
			}
		}
		assertThat(newest).as("a window of eu-west in ap-south's view").isNotNull();
		String window = newest.get("start").asText();
		long held = newest.at("/regions/eu-west/count").asLong(-1);
		String replay = summary("eu-west", newest, Instant.parse(newest.at("/regions/eu-west/closed_at").asText()).minusSeconds(3600), 999_999);

		assertThat(sync("ap-south", null, replay).statusCode()).isEqualTo(401);
		assertThat(sync("ap-south", "Bearer " + stack.syncKey("eu-west").replace('A', 'B').replace('a', 'b') + "x", replay).statusCode()).isEqualTo(401);
		assertThat(sync("ap-south", "Bearer " + stack.loadKey(), replay).statusCode()).isEqualTo(401);
		assertThat(sync("ap-south", "Bearer " + stack.syncKey("us-east"), replay).statusCode()).as("us-east speaking for eu-west").isEqualTo(403);

		long unchanged = unchangedSummaries("ap-south");
		HttpResponse<String> replayed = sync("ap-south", "Bearer " + stack.syncKey("eu-west"), replay);
		assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
				assertThat(unchangedSummaries("ap-south")).isGreaterThan(unchanged));
		JsonNode after = windowOf(global("ap-south"), window);
		assertThat(after.at("/regions/eu-west/count").asLong()).isEqualTo(held);
	}

	@Test
	@Order(3)
	void aRegionsEdgeAnswersOnlyTheGatewaysCredential() throws Exception {
		java.net.URI edge = stack.function("eu-west", "edge");
		String event = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/regions/eu-west/instances/sync-it\","
				+ "\"type\":\"order.created\",\"time\":\"" + Instant.now() + "\",\"data\":" + Client.ORDER + "}";
		for (String key : new String[] { null, "not-the-key", stack.edgeKey("us-east") }) {
			HttpRequest.Builder request = HttpRequest.newBuilder(edge.resolve("/events")).header("Content-Type", "application/cloudevents+json")
					.POST(HttpRequest.BodyPublishers.ofString(event));
			if (key != null) {
				request.header("x-edge-key", key);
			}
			assertThat(Client.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("key " + key).isEqualTo(401);
		}
		assertThat(Client.HTTP.send(HttpRequest.newBuilder(edge.resolve("/global")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
		assertThat(Client.HTTP.send(HttpRequest.newBuilder(edge.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
		HttpResponse<String> withKey = Client.HTTP.send(HttpRequest.newBuilder(edge.resolve("/global?last=1")).header("x-edge-key", stack.edgeKey("eu-west")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(withKey.statusCode()).as(withKey.body()).isEqualTo(200);
	}

	/** Summaries aggregate of a region took without change (stale or already held): aggregate_summaries_total{result="unchanged"}. */
	private long unchangedSummaries(String region) throws IOException, InterruptedException {
		double sum = 0;
		for (String line : Client.get(stack.function(region, "aggregate").resolve("/actuator/prometheus")).split("\n")) {
			if (line.startsWith("aggregate_summaries_total{") && line.contains("result=\"unchanged\"")) {
				sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			}
		}
		return (long) sum;
	}

	/** Per viewing region: each origin's total count over the newest 360 closed windows of its global view. */
	private Map<String, Map<String, Long>> views() throws IOException, InterruptedException {
		Map<String, Map<String, Long>> views = new LinkedHashMap<>();
		for (String viewer : PackagedStack.REGIONS) {
			Map<String, Long> totals = new LinkedHashMap<>();
			PackagedStack.REGIONS.forEach(origin -> totals.put(origin, 0L));
			for (JsonNode window : global(viewer).get("windows")) {
				window.get("regions").properties().forEach(e -> totals.merge(e.getKey(), e.getValue().get("count").asLong(), Long::sum));
			}
			views.put(viewer, totals);
		}
		return views;
	}

	private JsonNode global(String viewer) throws IOException, InterruptedException {
		return client.global(viewer);
	}

	private static JsonNode windowOf(JsonNode view, String start) {
		for (JsonNode window : view.get("windows")) {
			if (window.get("start").asText().equals(start)) {
				return window;
			}
		}
		throw new AssertionError("no window " + start + " in " + view);
	}

	private HttpResponse<String> send(String region) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(stack.gateway().resolve("/v1/events")).timeout(Duration.ofSeconds(30))
				.header("Authorization", "Bearer " + stack.producerKey()).header("x-region", region).header("Content-Type", "application/json")
				.header("Ce-Specversion", "1.0").header("Ce-Id", UUID.randomUUID().toString()).header("Ce-Source", "/regions/" + region + "/instances/sync-it")
				.header("Ce-Type", "order.created").header("Ce-Time", Instant.now().toString())
				.POST(HttpRequest.BodyPublishers.ofString(Client.ORDER)).build();
		return Client.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> sync(String target, String authorization, String summary) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(stack.gateway().resolve("/v1/regions/" + target + "/sync")).timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/cloudevents+json").POST(HttpRequest.BodyPublishers.ofString(summary));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return Client.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** A summary of {@code origin} for the window of {@code window} (as the global view shows it), closed at {@code closedAt}. */
	private static String summary(String origin, JsonNode window, Instant closedAt, long count) {
		ObjectNode event = Client.JSON.createObjectNode().put("specversion", "1.0").put("id", "summary-replay-" + UUID.randomUUID())
				.put("source", "/aggregate/" + origin).put("type", "dev.globalevents.sync.summary").put("region", origin)
				.put("time", closedAt.toString()).put("datacontenttype", "application/json");
		ObjectNode data = event.putObject("data").put("region", origin).put("closed_at", closedAt.toString());
		data.putObject("window").put("start", window.get("start").asText()).put("end", window.get("end").asText());
		data.putObject("types").putObject("order.created").put("count", count).put("errors", 0).put("e2e_micros_sum", count * 1000)
				.set("e2e", Client.JSON.createObjectNode().put("0", count));
		((ObjectNode) data.get("types").get("order.created")).set("transit", Client.JSON.createObjectNode().put("0", count));
		return event.toString();
	}
}

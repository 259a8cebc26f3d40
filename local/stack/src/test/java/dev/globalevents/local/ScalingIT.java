package dev.globalevents.local;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale to zero and back in the packaged stack, as Knative does it: sync-relay (its manifest says min-scale 0) runs
 * behind its route (LOCAL_REVISIONS) with a 6 s stable window (PackagedStack). Idle, its process is stopped and it
 * leaves Prometheus' targets; requests that arrive then are held by the route while the process starts again and are
 * all answered by it (nothing refused); idle again, it is stopped again. The live page shows its instances and the cold
 * start.
 */
class ScalingIT extends StackTest {

	static final String SERVICE = "sync-relay";

	@Test
	void aServiceWithMinScaleZeroIsStoppedWhenIdleAndStartedForTheRequestsThatWaitMeanwhile() throws Exception {
		URI route = URI.create(stack.description().at("/regions/" + PackagedStack.REGION + "/services/" + SERVICE + "/url").asText());
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(this::scaledToZero);
		long stopped = stack.pid(SERVICE);
		String instances = PackagedStack.REGION + "." + SERVICE + ".instances";
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Chromium.metric(stack.dashboard(), instances)).isEqualTo("0 / 0"));
		int coldStartsBefore = revision().get("coldStarts").size();

		List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
		for (int i = 0; i < 6; i++) { // the relay's own health path: answered by the relay, not by the route
			answers.add(Client.HTTP.sendAsync(HttpRequest.newBuilder(route.resolve("/healthz")).timeout(Duration.ofSeconds(90)).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		for (CompletableFuture<HttpResponse<String>> answer : answers) {
			assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(200);
		}
		JsonNode revision = revision();
		assertThat(revision.get("coldStarts").size()).as("one cold start for the six requests").isEqualTo(coldStartsBefore + 1);
		assertThat(revision.get("coldStarts").get(revision.get("coldStarts").size() - 1).get("ms").asLong()).isPositive();
		// a new process, checked at once: 6 s after the last request it is stopped again, and rendering the live page
		// below can take longer than that on a busy machine
		long started = stack.pid(SERVICE);
		assertThat(started).isNotEqualTo(stopped);
		assertThat(ProcessHandle.of(started).map(ProcessHandle::isAlive)).hasValue(true);
		// the live page shows this cold start, newest first (it stays listed after the instance stops)
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(Chromium.metric(stack.dashboard(), PackagedStack.REGION + "." + SERVICE + ".cold_starts")).isEqualTo(Integer.toString(coldStartsBefore + 1));
			assertThat(Chromium.metric(stack.dashboard(), "cold_start.ms")).isEqualTo(revision.at("/coldStarts/" + coldStartsBefore + "/ms").asText());
		});

		await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(this::scaledToZero);
		assertThat(stack.pid(SERVICE)).isEqualTo(started);
	}

	/** The revision as the stack's control API describes it (GET /api/services/<region>/<name>, like kubectl get ksvc). */
	private JsonNode revision() throws Exception {
		HttpResponse<String> answer = Client.HTTP.send(HttpRequest.newBuilder(stack.dashboard().resolve("/api/services/" + PackagedStack.REGION + "/" + SERVICE))
				.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return Client.JSON.readTree(answer.body()).at("/revisions/" + SERVICE + "-00001");
	}

	/** No instance ready, the process gone and out of Prometheus' targets (stack.json: not serving). */
	private boolean scaledToZero() throws Exception {
		return revision().get("actualReplicas").asLong() == 0
				&& !stack.description().at("/regions/" + PackagedStack.REGION + "/functions/" + SERVICE + "/serving").asBoolean(true)
				&& ProcessHandle.of(stack.pid(SERVICE)).map(ProcessHandle::isAlive).orElse(false) == false;
	}
}

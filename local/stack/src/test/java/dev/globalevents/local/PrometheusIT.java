package dev.globalevents.local;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stack's Prometheus ({@code prometheus} in stack.json) scrapes every function and broker of the packaged stack
 * and evaluates the repository's rules on their real series: every target is up, every rule evaluates without error,
 * and the recording rules have samples for the running region.
 */
class PrometheusIT extends StackTest {

	static URI prometheus;

	@BeforeAll
	static void prometheus() {
		prometheus = URI.create(stack.description().get("prometheus").asText());
	}

	@Test
	void everyFunctionAndBrokerIsScrapedAndUp() {
		// a target is "unknown" until its first scrape; the other tests kill and restart processes, so wait for all up
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			List<String> expected = new ArrayList<>();
			stack.description().get("regions").properties().forEach(region -> {
				expected.add(region.getKey() + "/broker");
				// every instance of every revision of every Service that serves (CanaryIT adds revisions of validate; a
				// Service scaled to zero has none, as its pods are gone: ScalingIT)
				region.getValue().get("functions").properties().stream().map(Map.Entry::getValue)
						.filter(function -> !PrometheusServer.UNSCRAPED.contains(function.get("service").asText()))
						.filter(function -> function.path("serving").asBoolean(true))
						.forEach(function -> expected.add(region.getKey() + "/" + function.get("revision").asText()));
			});
			List<String> up = new ArrayList<>();
			List<String> notUp = new ArrayList<>();
			for (JsonNode target : api("/api/v1/targets?state=active").at("/data/activeTargets")) {
				String name = target.at("/labels/region").asText() + "/" + target.at("/labels/revision").asText("broker");
				(target.get("health").asText().equals("up") ? up : notUp).add(name + " " + target.get("health").asText() + " "
						+ target.get("lastError").asText());
			}
			assertThat(notUp).as("targets not up").isEmpty();
			assertThat(up).extracting(t -> t.substring(0, t.indexOf(' '))).containsExactlyInAnyOrderElementsOf(expected);
		});
	}

	@Test
	void everyRuleEvaluatesAndTheRecordingRulesHaveSamplesForTheRegion() {
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			List<String> unhealthy = new ArrayList<>();
			int rules = 0;
			for (JsonNode group : api("/api/v1/rules").at("/data/groups")) {
				for (JsonNode rule : group.get("rules")) {
					rules++;
					if (!rule.get("health").asText().equals("ok")) {
						unhealthy.add(rule.get("name").asText() + ": " + rule.get("health").asText() + " " + rule.path("lastError").asText());
					}
				}
			}
			assertThat(rules).as("rules loaded from knative/observability/prometheus/rules").isPositive();
			assertThat(unhealthy).as("rules not evaluated cleanly").isEmpty();
		});

		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			List<String> recorded = new ArrayList<>();
			query("count by (__name__) ({__name__=~\".+:.+\", region=\"" + PackagedStack.REGION + "\"})")
					.forEach(series -> recorded.add(series.at("/metric/__name__").asText()));
			assertThat(recorded).as("recording rules with samples for " + PackagedStack.REGION)
					.contains("service_region:events:rate1m", "region_trigger:broker_trigger_lag:sum");
		});
	}

	private static JsonNode query(String promql) throws Exception {
		return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).at("/data/result");
	}

	private static JsonNode api(String path) throws Exception {
		return Client.JSON.readTree(Client.get(prometheus.resolve(path)));
	}
}

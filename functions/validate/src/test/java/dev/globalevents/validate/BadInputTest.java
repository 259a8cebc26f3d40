package dev.globalevents.validate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.globalevents.events.Json;
import dev.globalevents.events.testing.BadInputCorpus;
import dev.globalevents.events.testing.RawHttp;
import dev.globalevents.events.testing.TestEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input corpus ({@code functions/events} test resources, shared with the gateway's run) against the validate
 * app, as raw bytes: each case gets exactly its status and {@code application/problem+json} code with a reason —
 * including what the HTTP server refuses before the function (oversized head, invalid bytes, wrong method) — never
 * a 5xx and never a hang; the app stays healthy and keeps accepting valid events afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest extends HttpTestSupport {

	/** Refused by the HTTP layer before the CloudEvent route: not events, so not counted as rejected events. */
	private static final Set<String> HTTP_LAYER = Set.of("headers-too-large", "uri-too-long", "malformed-http", "method-not-allowed", "unreadable-body");

	static List<BadInputCorpus.Case> corpus() {
		return BadInputCorpus.cases();
	}

	@Test
	void theCorpusHoldsAtLeastSixtyCases() {
		assertThat(corpus()).hasSizeGreaterThanOrEqualTo(60);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void badInputGetsItsStatusWithAProblemAndAReason(BadInputCorpus.Case bad) {
		double rejectedBefore = rejectedCount();

		RawHttp.Response response = RawHttp.send("127.0.0.1", port, bad.request("127.0.0.1", port, "/", "/", Map.of()), Duration.ofSeconds(10));

		assertThat(response.status()).as(response.text()).isEqualTo(bad.validateStatus());
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		JsonNode problem = Json.MAPPER.readTree(response.body());
		assertThat(problem.get("type").asString()).as(response.text()).isEqualTo("urn:globalevents:problem:" + bad.validateCode());
		assertThat(problem.get("status").asInt()).isEqualTo(bad.validateStatus());
		assertThat(problem.get("detail").asString()).isNotBlank();
		if (bad.validateCode().equals("invalid-event")) {
			assertThat(problem.get("violations")).isNotEmpty();
		}
		if (!HTTP_LAYER.contains(bad.validateCode())) {
			assertThat(rejectedCount()).as("every refused request counts its events as rejected").isGreaterThan(rejectedBefore);
		}
	}

	@org.springframework.beans.factory.annotation.Autowired
	io.micrometer.core.instrument.MeterRegistry registry;

	private double rejectedCount() {
		return registry.find("validate.events").tag("outcome", "rejected").counters().stream()
				.mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
	}

	@AfterAll
	void appStaysHealthyAndKeepsAcceptingValidEvents() throws Exception {
		assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
		ObjectNode valid = TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString());
		assertThat(post(Map.of("Content-Type", "application/cloudevents+json"), Json.MAPPER.writeValueAsBytes(valid))
				.statusCode()).isEqualTo(200);
	}
}

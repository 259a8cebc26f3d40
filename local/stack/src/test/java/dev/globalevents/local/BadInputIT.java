package dev.globalevents.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.globalevents.events.testing.BadInputCorpus;
import dev.globalevents.events.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input corpus against both entries of the packaged stack, as raw bytes: the gateway with a producer key
 * answers every case with a 4xx and a problem naming the reason, and nothing of it reaches validate; validate itself
 * answers each case exactly as its own test expects. The cases Zuplo's runtime answers before any gateway code are
 * named in the corpus ({@code gateway.runtime}) and checked for what it answers.
 */
class BadInputIT extends StackTest {

	static List<BadInputCorpus.Case> corpus() {
		return BadInputCorpus.cases();
	}

	@ParameterizedTest(name = "gateway: {0}")
	@MethodSource("corpus")
	void theGatewayRefusesEveryCaseWithA4xxAndTheReasonAndForwardsNothing(BadInputCorpus.Case bad) throws Exception {
		long validatedBefore = client.metric("validate", "validate_events_total");
		RawHttp.Request request = bad.request("127.0.0.1", stack.gateway().getPort(), "/v1/events", "/v1/events/batch",
				Map.of("authorization", "Bearer " + stack.producerKey(), "x-region", PackagedStack.REGION));

		RawHttp.Response response = RawHttp.send("127.0.0.1", stack.gateway().getPort(), request, Duration.ofSeconds(15));

		if (bad.gatewayRuntime() != null) { // answered by Zuplo's runtime itself, documented in the corpus
			assertThat(response.status()).as(bad.gatewayRuntime() + "\n" + response.text()).isEqualTo(bad.gatewayStatus());
			assertThat(response.text()).as("a reason in the body").isNotBlank();
		}
		else {
			assertThat(response.status()).as(response.text()).isBetween(400, 499);
			if (bad.gatewayStatus() != 0) {
				assertThat(response.status()).as(response.text()).isEqualTo(bad.gatewayStatus());
			}
			assertThat(response.contentType()).as(response.text()).startsWith("application/problem+json");
			JsonNode problem = Client.JSON.readTree(response.body());
			assertThat(problem.path("detail").asText("") + problem.path("errors").toString()).as(response.text()).isNotBlank();
		}
		assertThat(client.metric("validate", "validate_events_total")).as("nothing of it reached validate").isEqualTo(validatedBefore);
	}

	@ParameterizedTest(name = "validate: {0}")
	@MethodSource("corpus")
	void validateAnswersEveryCaseWithItsStatusAndProblem(BadInputCorpus.Case bad) throws Exception {
		int port = stack.function("validate").getPort();

		RawHttp.Response response = RawHttp.send("127.0.0.1", port, bad.request("127.0.0.1", port, "/", "/", Map.of()), Duration.ofSeconds(15));

		assertThat(response.status()).as(response.text()).isEqualTo(bad.validateStatus());
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(Client.JSON.readTree(response.body()).get("type").asText()).isEqualTo("urn:globalevents:problem:" + bad.validateCode());
	}

	@Test
	void theCorpusCoversAtLeastSixtyCasesAndTheGatewayAnswersAllButTheRuntimesOwnWithAProblem() {
		List<String> runtime = new ArrayList<>();
		corpus().stream().filter(c -> c.gatewayRuntime() != null).forEach(c -> runtime.add(c.name()));
		assertThat(corpus()).hasSizeGreaterThanOrEqualTo(60);
		assertThat(runtime).containsExactlyInAnyOrder("header name with a space", "NUL byte in a header value",
				"Content-Length not a number", "unknown method");
	}
}

package dev.globalevents.validate;

import java.net.http.HttpResponse;
import java.util.UUID;

import dev.globalevents.events.Json;
import dev.globalevents.events.testing.TestEvents;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** A release drill's faulty revision (FAULT_ERROR_RATIO=1): every event is answered 500 with a problem, probes stay up. */
@TestPropertySource(properties = "function.faults.error-ratio=1")
class InjectedFaultHttpTest extends HttpTestSupport {

	@Test
	void everyEventIsRefusedWithAProblemNamingTheInjectedFault() throws Exception {
		ObjectNode event = TestEvents.withId(TestEvents.SENSOR_READING_MINIMAL, UUID.randomUUID().toString());

		HttpResponse<String> response = post(TestEvents.binaryHeaders(event), Json.MAPPER.writeValueAsBytes(event.get("data")));

		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
		JsonNode problem = Json.MAPPER.readTree(response.body());
		assertThat(problem.get("type").asText()).isEqualTo("urn:globalevents:problem:injected-fault");
		assertThat(problem.get("detail").asText()).contains("FAULT_ERROR_RATIO");
	}

	@Test
	void probesAndScrapesAreNotFaulted() throws Exception {
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(200);
	}
}

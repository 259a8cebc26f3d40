package dev.globalevents.validate;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.globalevents.events.Json;
import dev.globalevents.events.testing.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log format every function ships with (function-defaults.properties): one JSON object per line on stdout, with
 * the trace and span of the request a line is about, the service and the region. Checked on validate's own
 * rejection line (at debug here) for a request that came with a {@code traceparent}.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "logging.level.dev.globalevents.runtime.web.CloudEventRoutes=debug")
class StructuredLogTest extends HttpTestSupport {

	@Test
	void aLineAboutARequestIsJsonWithItsTraceServiceAndRegion(CapturedOutput output) throws Exception {
		String traceId = UUID.randomUUID().toString().replace("-", "");
		ObjectNode event = TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString());
		Map<String, String> headers = new HashMap<>(TestEvents.binaryHeaders(event));
		headers.put("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");

		HttpResponse<String> response = post(headers, "{\"order_id\":\"o-1\"}".getBytes());

		assertThat(response.statusCode()).isEqualTo(400);
		List<JsonNode> lines = output.getOut().lines().filter(line -> line.contains("\"logger_name\""))
				.map(line -> (JsonNode) Json.MAPPER.readTree(line)).toList();
		JsonNode rejected = lines.stream().filter(line -> line.path("message").asString().startsWith("rejected 400")).findFirst()
				.orElseThrow(() -> new AssertionError("no rejection line in " + output.getOut()));
		assertThat(rejected.path("@timestamp").asString()).isNotBlank();
		assertThat(rejected.path("level").asString()).isEqualTo("DEBUG");
		assertThat(rejected.path("traceId").asString()).isEqualTo(traceId);
		assertThat(rejected.path("spanId").asString()).matches("[0-9a-f]{16}").isNotEqualTo("00f067aa0ba902b7");
		assertThat(rejected.path("service").asString()).isEqualTo("validate");
		assertThat(rejected.path("region").asString()).isEqualTo("us-east");
	}
}

package dev.globalevents.validate;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Json;
import dev.globalevents.events.testing.TestEvents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The thin HTTP test: binary, structured and batch CloudEvents against the running app and a real Redis. */
class ValidateHttpTest extends HttpTestSupport {

	@Test
	void binaryModeWithCanonicalHeaderCasingIsValidatedAndRepliedWithTheNextStageType() throws Exception {
		String id = UUID.randomUUID().toString();
		ObjectNode event = TestEvents.withId(TestEvents.SENSOR_READING_MINIMAL, id);

		HttpResponse<String> response = post(TestEvents.binaryHeaders(event),
				Json.MAPPER.writeValueAsBytes(event.get("data")));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("ce-type")).hasValue(CloudEventTypes.EVENT_VALIDATED);
		assertThat(response.headers().firstValue("ce-id")).hasValue(id);
		ObjectNode expected = (ObjectNode) TestEvents.SENSOR_READING_MINIMAL.validated();
		expected.put("id", id);
		assertThat(Json.MAPPER.readTree(response.body())).isEqualTo(expected);
	}

	@Test
	void structuredModeIsValidatedToo() throws Exception {
		ObjectNode event = TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString());

		HttpResponse<String> response = post(Map.of("Content-Type", "application/cloudevents+json; charset=UTF-8"),
				Json.MAPPER.writeValueAsBytes(event));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("ce-eventtype")).hasValue("order.created");
		assertThat(Json.MAPPER.readTree(response.body()).at("/metadata/tags").toString()).isEqualTo("[\"shop\",\"eu\",\"checkout\"]");
	}

	@Test
	void batchIsAnsweredWithABatchOfValidatedEvents() throws Exception {
		List<ObjectNode> batch = List.of(TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString()),
				TestEvents.withId(TestEvents.PAYMENT_PROCESSED_EU, UUID.randomUUID().toString()));

		HttpResponse<String> response = post(Map.of("Content-Type", "application/cloudevents-batch+json"),
				Json.MAPPER.writeValueAsBytes(batch));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
				ct -> assertThat(ct).startsWith("application/cloudevents-batch+json"));
		JsonNode replies = Json.MAPPER.readTree(response.body());
		assertThat(replies).hasSize(2);
		assertThat(replies.get(1).get("type").asString()).isEqualTo(CloudEventTypes.EVENT_VALIDATED);
		assertThat(replies.get(1).at("/data/source/region").asString()).isEqualTo("eu-west");
	}

	@Test
	void aDuplicateIsAnsweredWithTheSameValidatedEventAgain() throws Exception {
		ObjectNode event = TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString());
		byte[] body = Json.MAPPER.writeValueAsBytes(event);
		Map<String, String> structured = Map.of("Content-Type", "application/cloudevents+json");

		HttpResponse<String> first = post(structured, body);
		HttpResponse<String> duplicate = post(structured, body);

		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(duplicate.statusCode()).isEqualTo(200);
		assertThat(duplicate.headers().firstValue("ce-id")).isEqualTo(first.headers().firstValue("ce-id"));
		assertThat(duplicate.headers().firstValue("ce-type")).hasValue(dev.globalevents.events.CloudEventTypes.EVENT_VALIDATED);
		assertThat(Json.MAPPER.readTree(duplicate.body())).isEqualTo(Json.MAPPER.readTree(first.body()));
	}

	@Test
	void concurrentDeliveriesOfOneEventOverHttpAreEachAnsweredWithTheSameValidatedEvent() throws Exception {
		byte[] body = Json.MAPPER.writeValueAsBytes(TestEvents.withId(TestEvents.PAYMENT_PROCESSED_EU, UUID.randomUUID().toString()));
		Map<String, String> structured = Map.of("Content-Type", "application/cloudevents+json");
		List<java.util.concurrent.Callable<HttpResponse<String>>> deliveries = new java.util.ArrayList<>();
		for (int i = 0; i < 32; i++) {
			deliveries.add(() -> post(structured, body));
		}

		List<HttpResponse<String>> responses = new java.util.ArrayList<>();
		try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
			for (var f : pool.invokeAll(deliveries)) {
				responses.add(f.get());
			}
		}

		assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
		assertThat(responses).allSatisfy(r -> assertThat(r.headers().firstValue("ce-type")).hasValue(dev.globalevents.events.CloudEventTypes.EVENT_VALIDATED));
		assertThat(responses).extracting(HttpResponse::body).containsOnly(responses.getFirst().body());
	}

	@Test
	void replyDoesNotEchoTheRequestHeaders() throws Exception {
		ObjectNode event = TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString());
		Map<String, String> headers = new HashMap<>(TestEvents.binaryHeaders(event));
		headers.put("Ce-Knativebrokerttl", "255");
		headers.put("Ce-Customext", "from-the-request");
		headers.put("X-Request-Id", "abc-123");
		headers.put("Prefer", "reply");

		HttpResponse<String> response = post(headers, Json.MAPPER.writeValueAsBytes(event.get("data")));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().map().keySet()).map(String::toLowerCase).containsExactlyInAnyOrderElementsOf(Set.of(
				"ce-id", "ce-source", "ce-type", "ce-specversion", "ce-time", "ce-datacontenttype", "ce-eventtype",
				"ce-priority", "ce-region", "ce-validatedat", "ce-validatedseq", "content-type", "content-length"));
		assertThat(response.headers().firstValue("ce-type")).isNotEqualTo(response.headers().firstValue("ce-eventtype"));
	}

	@Test
	void healthProbesAndPrometheusMetricsAreServed() throws Exception {
		post(Map.of("Content-Type", "application/cloudevents+json"),
				Json.MAPPER.writeValueAsBytes(TestEvents.ID_NOT_UUID.structured()));

		assertThat(get("/actuator/health/liveness").body()).contains("\"UP\"");
		assertThat(get("/actuator/health/readiness").body()).contains("\"UP\"");
		String metrics = get("/actuator/prometheus").body();
		assertThat(metrics).contains("validate_events_total{").contains("outcome=\"rejected\",reason=\"schema.pattern\"")
				.contains("validate_processing_seconds_count");
	}
}

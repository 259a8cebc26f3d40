package dev.globalevents.validate;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.globalevents.events.Json;
import dev.globalevents.events.testing.TestEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests of every kind: each must get a 4xx with an {@code application/problem+json} reason, never a
 * 5xx, and the app must stay healthy and keep accepting valid events afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest extends HttpTestSupport {

	private static final String ORDER = "{\"order_id\":\"o-1\",\"customer_id\":\"c-1\",\"amount\":1.5,\"currency\":\"EUR\",\"items\":1}";

	static Stream<Arguments> badRequests() {
		List<Arguments> cases = new ArrayList<>();
		cases.add(binary("broken JSON in binary data", Map.of(), "{\"order_id\": \"o-1\",", 400, "malformed-json"));
		cases.add(structured("broken JSON in structured mode", "{\"specversion\":\"1.0\",\"id\":", 400, "malformed-json"));
		cases.add(binary("missing ce-id", Map.of(), ORDER, 400, "invalid-event").remove("Ce-Id"));
		cases.add(binary("empty ce-id", Map.of("Ce-Id", ""), ORDER, 400, "invalid-event"));
		cases.add(binary("missing ce-source", Map.of(), ORDER, 400, "invalid-event").remove("Ce-Source"));
		cases.add(binary("missing ce-type", Map.of(), ORDER, 400, "invalid-event").remove("Ce-Type"));
		cases.add(binary("empty ce-type", Map.of("Ce-Type", ""), ORDER, 400, "invalid-event"));
		cases.add(binary("missing ce-specversion", Map.of(), ORDER, 400, "not-a-cloudevent").remove("Ce-Specversion"));
		cases.add(binary("specversion 0.3", Map.of("Ce-Specversion", "0.3"), ORDER, 400, "invalid-event"));
		cases.add(binary("specversion 2.0", Map.of("Ce-Specversion", "2.0"), ORDER, 400, "invalid-event"));
		cases.add(binary("no content type", Map.of(), ORDER, 415, "content-type-missing").remove("Content-Type"));
		cases.add(binary("text/plain data", Map.of("Content-Type", "text/plain"), ORDER, 415, "unsupported-data"));
		cases.add(binary("XML data", Map.of("Content-Type", "application/xml"), "<order/>", 415, "unsupported-data"));
		cases.add(binary("oversized body", Map.of(), "{\"pad\":\"" + "x".repeat(70_000) + "\"}", 413, "too-large"));
		cases.add(binary("deeply nested JSON", Map.of(), "{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}", 400, "limit-exceeded"));
		cases.add(new Case("invalid UTF-8", headers(Map.of()), concat("{\"order_id\":\"", new byte[] { (byte) 0xC3, (byte) 0x28 }, "\"}"),
				400, "malformed-json").arguments());
		cases.add(binary("huge string", Map.of(), "{\"order_id\":\"" + "y".repeat(20_000) + "\"}", 400, "limit-exceeded"));
		cases.add(binary("priority not a number", Map.of("Ce-Priority", "high"), ORDER, 400, "invalid-event"));
		cases.add(binary("priority out of range", Map.of("Ce-Priority", "11"), ORDER, 400, "invalid-event"));
		cases.add(binary("id not a UUID", Map.of("Ce-Id", "12345"), ORDER, 400, "invalid-event"));
		cases.add(binary("time not ISO 8601", Map.of("Ce-Time", "yesterday"), ORDER, 400, "invalid-event"));
		cases.add(binary("time far in the future", Map.of("Ce-Time", "2999-01-01T00:00:00Z"), ORDER, 400, "invalid-event"));
		cases.add(binary("unknown region", Map.of("Ce-Source", "/regions/moon/instances/i-1"), ORDER, 400, "invalid-event"));
		cases.add(binary("source not a region path", Map.of("Ce-Source", "https://example.com/x"), ORDER, 400, "invalid-event"));
		cases.add(binary("unregistered type", Map.of("Ce-Type", "order.exploded"), ORDER, 400, "invalid-event"));
		cases.add(binary("reserved internal type", Map.of("Ce-Type", "dev.globalevents.metrics.window"), ORDER, 400, "invalid-event"));
		cases.add(binary("payload misses a field", Map.of(), "{\"order_id\":\"o-1\"}", 400, "invalid-event"));
		cases.add(binary("payload field of the wrong type", Map.of(), ORDER.replace("1.5", "\"cheap\""), 400, "invalid-event"));
		cases.add(binary("data is an array", Map.of(), "[1,2,3]", 400, "invalid-event"));
		cases.add(binary("empty body", Map.of(), "", 400, "data-missing"));
		cases.add(binary("NaN number", Map.of(), ORDER.replace("1.5", "NaN"), 400, "malformed-json"));
		cases.add(binary("duplicate JSON keys", Map.of(), "{\"order_id\":\"a\",\"order_id\":\"b\"}", 400, "malformed-json"));
		cases.add(binary("tags with markup", Map.of("Ce-Tags", "ok,<b>"), ORDER, 400, "invalid-event"));
		cases.add(structured("structured without data", validEnvelope().without("data").toString(), 400, "data-missing"));
		cases.add(structured("structured with base64 data", validEnvelope().put("data_base64", "AAEC").without("data").toString(), 400, "data-base64"));
		cases.add(structured("structured JSON array", "[]", 400, "not-an-object"));
		cases.add(new Case("XML event format", Map.of("Content-Type", "application/cloudevents+xml"),
				"<event/>".getBytes(StandardCharsets.UTF_8), 415, "unsupported-format").arguments());
		cases.add(batch("batch with one bad entry", "[" + validEnvelope() + "," + TestEvents.ID_NOT_UUID.structured() + "]", "invalid-event"));
		cases.add(batch("batch that is not an array", validEnvelope().toString(), "batch-not-array"));
		cases.add(batch("empty batch", "[]", "batch-empty"));
		cases.add(batch("batch entry that is not an object", "[\"event\"]", "batch-entry-not-object"));
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void badInputGetsA4xxWithAReason(String name, Map<String, String> headers, byte[] body, int status, String code)
			throws Exception {
		double rejectedBefore = rejectedCount();

		HttpResponse<String> response = post(headers, body);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(rejectedCount()).as("every refused request counts its events as rejected (a batch counts each)").isGreaterThan(rejectedBefore);
		assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
		JsonNode problem = Json.MAPPER.readTree(response.body());
		assertThat(problem.get("type").asString()).isEqualTo("urn:globalevents:problem:" + code);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("detail").asString()).isNotBlank();
		if (code.equals("invalid-event")) {
			assertThat(problem.get("violations")).isNotEmpty();
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

	/** A request under construction; {@link #remove} drops a header so "missing" cases read naturally. */
	record Case(String name, Map<String, String> headers, byte[] body, int status, String code) implements Arguments {

		Case remove(String header) {
			headers.remove(header);
			return this;
		}

		Arguments arguments() {
			return this;
		}

		@Override
		public Object[] get() {
			return new Object[] { name, headers, body, status, code };
		}
	}

	private static Envelope validEnvelope() {
		return new Envelope(TestEvents.withId(TestEvents.ORDER_CREATED_FULL, UUID.randomUUID().toString()));
	}

	private record Envelope(ObjectNode node) {
		Envelope put(String k, String v) {
			node.put(k, v);
			return this;
		}

		Envelope without(String k) {
			node.remove(k);
			return this;
		}

		@Override
		public String toString() {
			return node.toString();
		}
	}

	private static Map<String, String> headers(Map<String, String> overrides) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Ce-Specversion", "1.0");
		headers.put("Ce-Id", UUID.randomUUID().toString());
		headers.put("Ce-Source", "/regions/eu-west/instances/shop-1");
		headers.put("Ce-Type", "order.created");
		headers.put("Ce-Time", "2026-05-31T12:00:00Z");
		headers.put("Content-Type", "application/json");
		headers.putAll(overrides);
		return headers;
	}

	private static Case binary(String name, Map<String, String> overrides, String body, int status, String code) {
		return new Case(name, headers(overrides), body.getBytes(StandardCharsets.UTF_8), status, code);
	}

	private static Arguments structured(String name, String body, int status, String code) {
		return new Case(name, Map.of("Content-Type", "application/cloudevents+json"),
				body.getBytes(StandardCharsets.UTF_8), status, code).arguments();
	}

	private static Arguments batch(String name, String body, String code) {
		return new Case(name, Map.of("Content-Type", "application/cloudevents-batch+json"),
				body.getBytes(StandardCharsets.UTF_8), 400, code).arguments();
	}

	private static byte[] concat(String head, byte[] middle, String tail) {
		byte[] h = head.getBytes(StandardCharsets.UTF_8);
		byte[] t = tail.getBytes(StandardCharsets.UTF_8);
		byte[] all = new byte[h.length + middle.length + t.length];
		System.arraycopy(h, 0, all, 0, h.length);
		System.arraycopy(middle, 0, all, h.length, middle.length);
		System.arraycopy(t, 0, all, h.length + middle.length, t.length);
		return all;
	}
}

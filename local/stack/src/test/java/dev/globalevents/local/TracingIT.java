package dev.globalevents.local;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One event, one trace, every hop: an event sent through the gateway is found in the local Zipkin (through its HTTP
 * API) under the trace id the gateway answered with, with spans of the edge, the broker's ingress, each Trigger's
 * delivery, validate (and its Redis call) and aggregate (and its Redis call), each hop under the one before it and
 * starting after it. An event validate refuses ends its trace at the quarantine, which keeps the trace context for
 * a replay.
 */
class TracingIT extends StackTest {

	private static final String NAMESPACE = "globalevents-" + PackagedStack.REGION;

	@Test
	void anEventThroughTheGatewayIsOneTraceWithEveryHopInCausalOrder() throws Exception {
		String id = UUID.randomUUID().toString();
		HttpResponse<String> sent = client.binary(id, "order.created", Client.ORDER);
		assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
		String traceId = sent.headers().firstValue("x-trace-id").orElseThrow(() -> new AssertionError("no x-trace-id from the gateway"));

		Trace trace = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
				.until(() -> Trace.of(zipkin("/api/v2/trace/" + traceId)), t -> t.has("edge", "http post /events")
						&& t.has("broker-" + NAMESPACE, "trigger:aggregate-validated." + NAMESPACE) && t.has("validate", "http post /")
						&& t.redisUnder("validate") && t.has("aggregate", "http post /events") && t.redisUnder("aggregate"));

		assertThat(trace.spans).allSatisfy(span -> assertThat(span.path("traceId").asText()).isEqualTo(traceId));
		JsonNode edge = trace.one("edge", "http post /events");
		JsonNode broker = trace.one("broker-" + NAMESPACE, "broker:events." + NAMESPACE);
		JsonNode toValidate = trace.one("broker-" + NAMESPACE, "trigger:validate-incoming." + NAMESPACE);
		JsonNode validate = trace.one("validate", "http post /");
		JsonNode toAggregate = trace.one("broker-" + NAMESPACE, "trigger:aggregate-validated." + NAMESPACE);
		JsonNode aggregate = trace.one("aggregate", "http post /events");
		// validate's reply is stored by the delivery to validate, so the delivery to aggregate is under that delivery
		for (List<JsonNode> step : List.of(List.of(edge, broker), List.of(broker, toValidate), List.of(toValidate, validate),
				List.of(toValidate, toAggregate), List.of(toAggregate, aggregate))) {
			assertThat(trace.isAncestor(step.get(0), step.get(1))).as(name(step.get(0)) + " leads to " + name(step.get(1))).isTrue();
		}
		List<JsonNode> path = List.of(edge, broker, toValidate, validate, toAggregate, aggregate);
		for (int i = 1; i < path.size(); i++) {
			assertThat(path.get(i).path("timestamp").asLong()).as(name(path.get(i)) + " starts after " + name(path.get(i - 1)))
					.isGreaterThanOrEqualTo(path.get(i - 1).path("timestamp").asLong());
		}
		assertThat(validate.at("/tags/cloudevents.event_id").asText()).isEqualTo(id);
		assertThat(trace.redisUnder("validate")).as("validate's de-duplication in Redis is a child span").isTrue();
		assertThat(toAggregate.at("/tags/outcome").asText()).startsWith("delivered");
	}

	@Test
	void anEventValidateRefusesEndsItsTraceAtTheQuarantineWhichKeepsItsContext() throws Exception {
		String traceId = UUID.randomUUID().toString().replace("-", "");
		String id = UUID.randomUUID().toString();
		int status = Client.HTTP.send(HttpRequest.newBuilder(stack.broker()).header("Content-Type", "application/json")
				.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
				.header("Ce-Specversion", "1.0").header("Ce-Id", id).header("Ce-Source", "/regions/" + PackagedStack.REGION + "/instances/inside")
				.header("Ce-Type", "order.created").header("Ce-Time", Instant.now().toString())
				.POST(HttpRequest.BodyPublishers.ofString("{\"customer_id\":\"c-1\"}")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		assertThat(status).isEqualTo(202);

		Trace trace = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
				.until(() -> Trace.of(zipkin("/api/v2/trace/" + traceId)), t -> t.has("quarantine", "http post /")
						&& t.has("validate", "http post /") && t.has("broker-" + NAMESPACE, "trigger:validate-incoming." + NAMESPACE));

		JsonNode validate = trace.one("validate", "http post /");
		JsonNode delivery = trace.one("broker-" + NAMESPACE, "trigger:validate-incoming." + NAMESPACE);
		JsonNode quarantine = trace.one("quarantine", "http post /");
		assertThat(validate.at("/tags/status").asText()).isEqualTo("400");
		assertThat(trace.isAncestor(delivery, quarantine)).as("the dead letter is part of the delivery").isTrue();
		assertThat(delivery.at("/tags/outcome").asText()).startsWith("dead-lettered");
		assertThat(trace.spans.stream().filter(s -> s.path("timestamp").asLong() > quarantine.path("timestamp").asLong())
				.filter(s -> !trace.isAncestor(quarantine, s)).map(TracingIT::name)).as("nothing after the quarantine").isEmpty();
		JsonNode entry = null;
		for (JsonNode e : client.quarantine().get("entries")) {
			if (e.path("event_id").asText().equals(id)) {
				entry = e;
			}
		}
		assertThat(entry).as("quarantined").isNotNull();
		assertThat(entry.at("/headers/traceparent").asText()).as("a replay continues this trace").contains(traceId);
	}

	@Test
	void everyFunctionReportsToTheLocalZipkinAndNeverToTheClustersCollector() throws Exception {
		for (String function : List.of("validate", "aggregate", "quarantine", "edge")) {
			Map<String, String> env = new HashMap<>();
			for (String entry : Files.readString(Path.of("/proc/" + stack.pid(function) + "/environ")).split("\0")) {
				int equals = entry.indexOf('=');
				if (equals > 0) {
					env.put(entry.substring(0, equals), entry.substring(equals + 1));
				}
			}
			assertThat(env).as(function).doesNotContainKey("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT")
					.containsEntry("MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENDPOINT", stack.zipkin().resolve("/api/v2/spans").toString());
		}
	}

	@Test
	void functionsAndTheBrokerLogJsonLinesWithServiceAndRegion() throws Exception {
		Map<String, Path> logs = Map.of("validate", Path.of(stack.description().at("/regions/" + PackagedStack.REGION + "/functions/validate/log").asText()),
				"broker", Path.of(stack.description().at("/regions/" + PackagedStack.REGION + "/broker_process/log").asText()));
		logs.forEach((service, log) -> {
			List<JsonNode> lines = new ArrayList<>();
			try {
				for (String line : Files.readAllLines(log)) {
					if (line.startsWith("{")) { // the JVM's own warnings (stderr) are not ours to format
						lines.add(Client.JSON.readTree(line));
					}
				}
			}
			catch (Exception e) {
				throw new AssertionError(log + ": " + e, e);
			}
			assertThat(lines).as(service + " logs JSON lines").isNotEmpty().allSatisfy(line -> {
				assertThat(line.path("@timestamp").asText()).isNotBlank();
				assertThat(line.path("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
				assertThat(line.path("service").asText()).isEqualTo(service);
				assertThat(line.path("region").asText()).isEqualTo(PackagedStack.REGION);
			});
		});
	}

	private static String name(JsonNode span) {
		return span.at("/localEndpoint/serviceName").asText() + " " + span.path("name").asText();
	}

	private static JsonNode zipkin(String path) throws Exception {
		HttpResponse<String> answer = Client.HTTP.send(HttpRequest.newBuilder(stack.zipkin().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		return answer.statusCode() == 200 ? Client.JSON.readTree(answer.body()) : Client.JSON.createArrayNode();
	}

	/** A trace as Zipkin gives it: its spans, and who is whose parent. */
	private record Trace(List<JsonNode> spans, Map<String, JsonNode> byId) {

		static Trace of(JsonNode array) {
			List<JsonNode> spans = new ArrayList<>();
			Map<String, JsonNode> byId = new HashMap<>();
			array.forEach(span -> {
				spans.add(span);
				byId.put(span.path("id").asText(), span);
			});
			return new Trace(spans, byId);
		}

		boolean has(String service, String name) {
			return spans.stream().anyMatch(s -> s.at("/localEndpoint/serviceName").asText().equals(service) && s.path("name").asText().equals(name));
		}

		JsonNode one(String service, String name) {
			List<JsonNode> found = spans.stream()
					.filter(s -> s.at("/localEndpoint/serviceName").asText().equals(service) && s.path("name").asText().equals(name)).toList();
			assertThat(found).as(service + " " + name + " in " + spans.stream().map(TracingIT::name).toList()).hasSize(1);
			return found.getFirst();
		}

		boolean isAncestor(JsonNode ancestor, JsonNode span) {
			for (JsonNode at = span; at != null; at = byId.get(at.path("parentId").asText(""))) {
				if (at != span && at.path("id").asText().equals(ancestor.path("id").asText())) {
					return true;
				}
			}
			return false;
		}

		/** A Redis command span under the service's server span. */
		boolean redisUnder(String service) {
			return spans.stream().filter(s -> s.path("kind").asText().equals("CLIENT") && s.at("/remoteEndpoint/serviceName").asText().equals("redis"))
					.anyMatch(redis -> spans.stream().filter(s -> s.at("/localEndpoint/serviceName").asText().equals(service)
							&& s.path("kind").asText().equals("SERVER")).anyMatch(server -> isAncestor(server, redis)));
		}
	}
}

package dev.globalevents.local.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import dev.globalevents.events.testing.RecordingSink;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The local broker's Knative semantics: filters, replies, retries with backoff, dead letters, reply loops. */
class LocalBrokerTest {

	static final String MANIFESTS = """
			apiVersion: eventing.knative.dev/v1
			kind: Broker
			metadata: {name: events, namespace: demo}
			spec:
			  delivery:
			    retry: 2
			    backoffPolicy: exponential
			    backoffDelay: PT0.2S
			    deadLetterSink: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: quarantine}}
			---
			apiVersion: eventing.knative.dev/v1
			kind: Trigger
			metadata: {name: to-validate, namespace: demo}
			spec:
			  broker: events
			  filters:
			    - not: {prefix: {type: dev.globalevents.}}
			  subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: validate}}
			---
			apiVersion: eventing.knative.dev/v1
			kind: Trigger
			metadata: {name: to-aggregate, namespace: demo}
			spec:
			  broker: events
			  filters:
			    - exact: {type: dev.globalevents.event.validated}
			  subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: aggregate}}
			---
			apiVersion: eventing.knative.dev/v1
			kind: Trigger
			metadata: {name: to-peer, namespace: demo}
			spec:
			  broker: events
			  filters:
			    - exact: {type: dev.globalevents.sync.summary, region: us-east}
			  subscriber: {uri: https://api.globalevents.example/v1/regions/eu-west/sync}
			  delivery: {retry: 0}
			""";

	HttpServer validate;
	RecordingSink aggregate;
	RecordingSink quarantine;
	RecordingSink peer;
	LocalBroker broker;
	final HttpClient http = HttpClient.newHttpClient();

	@BeforeEach
	void start() throws IOException {
		aggregate = new RecordingSink();
		quarantine = new RecordingSink();
		peer = new RecordingSink();
		validate = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
		validate.createContext("/", exchange -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			String id = exchange.getRequestHeaders().getFirst("ce-id");
			if (id.startsWith("bad")) {
				byte[] problem = "{\"detail\":\"invalid\"}".getBytes();
				exchange.sendResponseHeaders(400, problem.length);
				exchange.getResponseBody().write(problem);
			}
			else {
				assertThat(exchange.getRequestHeaders().getFirst("Prefer")).isEqualTo("reply");
				exchange.getResponseHeaders().set("ce-specversion", "1.0");
				exchange.getResponseHeaders().set("ce-id", id);
				exchange.getResponseHeaders().set("ce-source", "/regions/us-east/instances/x");
				exchange.getResponseHeaders().set("ce-type", "dev.globalevents.event.validated");
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
			}
			exchange.close();
		});
		validate.start();
		Map<String, URI> services = Map.of("validate", URI.create("http://127.0.0.1:" + validate.getAddress().getPort() + "/"),
				"aggregate", URI.create(aggregate.url()), "quarantine", URI.create(quarantine.url()));
		List<HasMetadata> resources = List.of(MANIFESTS.split("(?m)^---$")).stream()
				.map(doc -> new KubernetesSerialization().unmarshal(doc, HasMetadata.class)).toList();
		broker = Topology.broker(resources, "events", services::get,
				uri -> uri.getHost().equals("api.globalevents.example") ? URI.create(peer.url()) : uri, 0);
	}

	@AfterEach
	void stop() {
		broker.close();
		validate.stop(0);
		aggregate.close();
		quarantine.close();
		peer.close();
	}

	@Test
	void anOutsideEventGoesToValidateAndItsReplyToAggregateOnly() throws Exception {
		int status = post(Map.of("ce-type", "order.created", "ce-id", "e-1"), "{\"order_id\":\"o-1\"}");

		assertThat(status).isEqualTo(202);
		await().atMost(Duration.ofSeconds(5)).until(() -> aggregate.received().size() == 1);
		RecordingSink.Received reply = aggregate.received().getFirst();
		assertThat(reply.header("ce-type")).isEqualTo("dev.globalevents.event.validated");
		assertThat(reply.header("ce-knativearrivaltime")).isNotBlank();
		assertThat(reply.header("prefer")).isEqualTo("reply");
		assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{\"order_id\":\"o-1\"}");
		assertThat(quarantine.received()).isEmpty();
	}

	@Test
	void aRejectedEventIsNotRetriedAndIsDeadLetteredWithTheFailure() throws Exception {
		post(Map.of("ce-type", "order.created", "ce-id", "bad-1"), "{}");

		await().atMost(Duration.ofSeconds(5)).until(() -> quarantine.received().size() == 1);
		RecordingSink.Received dead = quarantine.received().getFirst();
		assertThat(dead.header("ce-id")).isEqualTo("bad-1");
		assertThat(dead.header("ce-knativeerrorcode")).isEqualTo("400");
		assertThat(dead.header("ce-knativeerrordest")).startsWith("http://127.0.0.1:");
		assertThat(new String(Base64.getDecoder().decode(dead.header("ce-knativeerrordata")))).isEqualTo("{\"detail\":\"invalid\"}");
		assertThat(broker.counts()).containsEntry("retried", 0L);
	}

	@Test
	void anUnavailableSubscriberIsRetriedWithExponentialBackoffThenDeadLettered() throws Exception {
		aggregate.answer(503);

		post(Map.of("ce-type", "dev.globalevents.event.validated", "ce-id", "v-1"), "{}");

		await().atMost(Duration.ofSeconds(5)).until(() -> quarantine.received().size() == 1);
		assertThat(aggregate.requests()).isEqualTo(3);
		assertThat(broker.counts()).containsEntry("retried", 2L);
		assertThat(quarantine.received().getFirst().header("ce-knativeerrorcode")).isEqualTo("503");
	}

	@Test
	void aSubscriberThatRecoversGetsTheEventOnARetry() throws Exception {
		aggregate.answer(n -> n == 0 ? 503 : 200);

		post(Map.of("ce-type", "dev.globalevents.event.validated", "ce-id", "v-2"), "{}");

		await().atMost(Duration.ofSeconds(5)).until(() -> aggregate.received().size() == 1);
		assertThat(quarantine.received()).isEmpty();
	}

	@Test
	void aTriggerWithAUriReachesTheMappedPeerAndFiltersOnExtensions() throws Exception {
		post(Map.of("ce-type", "dev.globalevents.sync.summary", "ce-id", "s-1", "ce-region", "us-east"), "{}");
		post(Map.of("ce-type", "dev.globalevents.sync.summary", "ce-id", "s-2", "ce-region", "eu-west"), "{}");

		await().atMost(Duration.ofSeconds(5)).until(() -> peer.received().size() == 1);
		assertThat(peer.received().getFirst().header("ce-id")).isEqualTo("s-1");
	}

	@Test
	void somethingThatIsNotACloudEventIsRefusedAtTheIngress() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(broker.ingress())
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(400);
	}

	private int post(Map<String, String> ce, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(broker.ingress()).header("Content-Type", "application/json")
				.header("ce-specversion", "1.0").header("ce-source", "/regions/us-east/instances/test")
				.POST(HttpRequest.BodyPublishers.ofString(body));
		ce.forEach(request::header);
		return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}
}

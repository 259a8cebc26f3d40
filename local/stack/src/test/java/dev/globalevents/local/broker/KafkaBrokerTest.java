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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.sun.net.httpserver.HttpServer;
import dev.globalevents.events.testing.RecordingSink;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local broker on a real Kafka node, with the Knative Kafka broker's semantics: stored before 202, filters,
 * replies through the topic, retries with backoff, dead letters, offsets committed only when an event is done with,
 * delivery order, bounded concurrency, reply loops.
 */
class KafkaBrokerTest {

	static final String MANIFESTS = """
			apiVersion: eventing.knative.dev/v1
			kind: Broker
			metadata:
			  name: events
			  namespace: NAMESPACE
			  annotations: {eventing.knative.dev/broker.class: Kafka}
			spec:
			  config: {apiVersion: v1, kind: ConfigMap, name: events-broker-config}
			  delivery:
			    retry: 2
			    backoffPolicy: exponential
			    backoffDelay: PT0.1S
			    deadLetterSink: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: quarantine}}
			---
			apiVersion: v1
			kind: ConfigMap
			metadata: {name: events-broker-config, namespace: NAMESPACE}
			data:
			  bootstrap.servers: kafka:9092
			  default.topic.partitions: "3"
			  default.topic.replication.factor: "3"
			  default.topic.config.min.insync.replicas: "2"
			---
			apiVersion: eventing.knative.dev/v1
			kind: Trigger
			metadata: {name: to-validate, namespace: NAMESPACE}
			spec:
			  broker: events
			  filters:
			    - not: {prefix: {type: dev.globalevents.}}
			  subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: validate}}
			---
			apiVersion: eventing.knative.dev/v1
			kind: Trigger
			metadata:
			  name: to-aggregate
			  namespace: NAMESPACE
			  annotations: {kafka.eventing.knative.dev/delivery.order: unordered}
			spec:
			  broker: events
			  filters:
			    - exact: {type: dev.globalevents.event.validated}
			  subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: aggregate}}
			---
			apiVersion: eventing.knative.dev/v1
			kind: Trigger
			metadata:
			  name: to-peer
			  namespace: NAMESPACE
			  annotations: {kafka.eventing.knative.dev/delivery.order: ordered}
			spec:
			  broker: events
			  filters:
			    - exact: {type: dev.globalevents.sync.summary, region: us-east}
			  subscriber: {uri: https://api.globalevents.example/v1/regions/eu-west/sync}
			  delivery: {retry: 0}
			""";

	HttpServer validate;
	final CountDownLatch validateHolds = new CountDownLatch(1);
	final CountDownLatch validateReleased = new CountDownLatch(1);
	RecordingSink aggregate;
	RecordingSink quarantine;
	RecordingSink peer;
	BrokerContract contract;
	KafkaBroker broker;
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
			if (id.startsWith("held")) {
				validateHolds.countDown();
				awaitQuietly(validateReleased);
			}
			if (id.startsWith("bad")) {
				byte[] problem = "{\"detail\":\"invalid\"}".getBytes();
				exchange.sendResponseHeaders(400, problem.length);
				exchange.getResponseBody().write(problem);
			}
			else {
				exchange.getResponseHeaders().set("ce-specversion", "1.0");
				exchange.getResponseHeaders().set("ce-id", id);
				exchange.getResponseHeaders().set("ce-source", "/regions/us-east/instances/x");
				exchange.getResponseHeaders().set("ce-type", id.startsWith("loop") ? "order.created" : "dev.globalevents.event.validated");
				exchange.getResponseHeaders().set("ce-prefer", exchange.getRequestHeaders().getFirst("Prefer"));
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
			}
			exchange.close();
		});
		validate.start();
		contract = contract(UUID.randomUUID().toString().substring(0, 8));
		broker = new KafkaBroker(contract, Duration.ofSeconds(3));
		await().atMost(Duration.ofSeconds(30)).until(broker::ready);
	}

	BrokerContract contract(String namespace) {
		Map<String, URI> services = Map.of("validate", URI.create("http://127.0.0.1:" + validate.getAddress().getPort() + "/"),
				"aggregate", URI.create(aggregate.url()), "quarantine", URI.create(quarantine.url()));
		List<HasMetadata> resources = List.of(MANIFESTS.replace("NAMESPACE", "test-" + namespace).split("(?m)^---$")).stream()
				.map(doc -> new KubernetesSerialization().unmarshal(doc, HasMetadata.class)).toList();
		return Topology.contract(resources, "events", services::get,
				uri -> uri.getHost().equals("api.globalevents.example") ? URI.create(peer.url()) : uri, 0,
				TestKafka.node().bootstrapServers(), 1);
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
	void theContractFollowsTheKafkaBrokersNamesAndTheConfigMapWithOneReplicaPerLocalNode() {
		assertThat(contract.topic()).isEqualTo("knative-broker-" + contract.namespace() + "-events");
		assertThat(contract.group(contract.routes().get(1))).isEqualTo("knative-trigger-" + contract.namespace() + "-to-aggregate");
		assertThat(contract.partitions()).isEqualTo(3);
		assertThat(contract.replicationFactor()).isEqualTo((short) 1);
		assertThat(contract.topicConfig()).containsEntry("min.insync.replicas", "1");
		assertThat(contract.routes()).extracting(Route::name, Route::ordered)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("to-validate", false), org.assertj.core.groups.Tuple.tuple("to-aggregate", false),
						org.assertj.core.groups.Tuple.tuple("to-peer", true));
	}

	@Test
	void theContractSurvivesItsJsonFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
		contract.write(dir.resolve("contract.json"));

		assertThat(BrokerContract.read(dir.resolve("contract.json"))).isEqualTo(contract);
	}

	@Test
	void anOutsideEventGoesToValidateAndItsReplyThroughTheTopicToAggregateOnly() throws Exception {
		int status = post(Map.of("ce-type", "order.created", "ce-id", "e-1"), "{\"order_id\":\"o-1\"}");

		assertThat(status).isEqualTo(202);
		await().atMost(Duration.ofSeconds(10)).until(() -> aggregate.received().size() == 1);
		RecordingSink.Received reply = aggregate.received().getFirst();
		assertThat(reply.header("ce-type")).isEqualTo("dev.globalevents.event.validated");
		assertThat(reply.header("ce-prefer")).isEqualTo("reply");
		assertThat(reply.header("ce-knativearrivaltime")).isNotBlank();
		assertThat(reply.header("prefer")).isEqualTo("reply");
		assertThat(reply.header("ce-knativebrokerttl")).isNull();
		assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{\"order_id\":\"o-1\"}");
		assertThat(broker.stats().get("to-validate", "replies")).isEqualTo(1);
		assertThat(quarantine.received()).isEmpty();
		assertThat(peer.received()).isEmpty();
	}

	@Test
	void aRejectedEventIsNotRetriedAndIsDeadLetteredWithTheFailure() throws Exception {
		post(Map.of("ce-type", "order.created", "ce-id", "bad-1"), "{}");

		await().atMost(Duration.ofSeconds(10)).until(() -> quarantine.received().size() == 1);
		RecordingSink.Received dead = quarantine.received().getFirst();
		assertThat(dead.header("ce-id")).isEqualTo("bad-1");
		assertThat(dead.header("ce-knativeerrorcode")).isEqualTo("400");
		assertThat(dead.header("ce-knativeerrordest")).startsWith("http://127.0.0.1:");
		assertThat(new String(Base64.getDecoder().decode(dead.header("ce-knativeerrordata")))).isEqualTo("{\"detail\":\"invalid\"}");
		assertThat(broker.stats().get("to-validate", "retried")).isZero();
	}

	@Test
	void anUnavailableSubscriberIsRetriedWithExponentialBackoffThenDeadLettered() throws Exception {
		aggregate.answer(503);
		long start = System.nanoTime();

		post(Map.of("ce-type", "dev.globalevents.event.validated", "ce-id", "v-1"), "{}");

		await().atMost(Duration.ofSeconds(10)).until(() -> quarantine.received().size() == 1);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200 + 400));
		assertThat(aggregate.requests()).isEqualTo(3);
		assertThat(broker.stats().get("to-aggregate", "retried")).isEqualTo(2);
		assertThat(quarantine.received().getFirst().header("ce-knativeerrorcode")).isEqualTo("503");
	}

	@Test
	void aSubscriberThatRecoversGetsTheEventOnARetry() throws Exception {
		aggregate.answer(n -> n == 0 ? 503 : 200);

		post(Map.of("ce-type", "dev.globalevents.event.validated", "ce-id", "v-2"), "{}");

		await().atMost(Duration.ofSeconds(10)).until(() -> aggregate.received().size() == 1);
		assertThat(quarantine.received()).isEmpty();
	}

	@Test
	void aTriggerWithAUriReachesTheMappedPeerAndFiltersOnExtensions() throws Exception {
		post(Map.of("ce-type", "dev.globalevents.sync.summary", "ce-id", "s-1", "ce-region", "us-east"), "{}");
		post(Map.of("ce-type", "dev.globalevents.sync.summary", "ce-id", "s-2", "ce-region", "eu-west"), "{}");

		await().atMost(Duration.ofSeconds(10)).until(() -> peer.received().size() == 1);
		assertThat(peer.received().getFirst().header("ce-id")).isEqualTo("s-1");
		await().atMost(Duration.ofSeconds(10)).until(() -> broker.stats().get("to-peer", "filtered") >= 1);
	}

	@Test
	void somethingThatIsNotACloudEventIsRefusedAtTheIngressWithAProblem() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(broker.ingress())
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"status\":400");
	}

	@Test
	void aReplyLoopEndsWhenTheBrokerTtlRunsOut() throws Exception {
		post(Map.of("ce-type", "order.created", "ce-id", "loop-1"), "{}");

		// a reply is counted when Kafka acknowledges its append, which can come after the next hop read it: both counts
		// are awaited, not read in one order
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			assertThat(broker.stats().get("to-validate", "dropped")).isEqualTo(1);
			assertThat(broker.stats().get("to-validate", "replies")).isEqualTo(Receiver.MAX_TTL - 1);
		});
	}

	@Test
	void anOffsetIsCommittedOnlyOnceTheEventIsDoneWith() throws Exception {
		post(Map.of("ce-type", "dev.globalevents.event.validated", "ce-id", "v-done"), "{}");
		await().atMost(Duration.ofSeconds(10)).until(() -> aggregate.received().size() == 1);
		aggregate.answer(503);
		quarantine.answer(503); // the dead-letter sink is down too: the event is not done with
		post(Map.of("ce-type", "dev.globalevents.event.validated", "ce-id", "v-stuck"), "{}");
		await().atMost(Duration.ofSeconds(10)).until(() -> quarantine.requests() >= 2);

		broker.close(); // as a crash before the event was done with: it was never committed
		quarantine.answer(202);
		broker = new KafkaBroker(contract, Duration.ofSeconds(3));

		await().atMost(Duration.ofSeconds(30)).until(() -> quarantine.received().size() == 1);
		assertThat(quarantine.received().getFirst().header("ce-id")).isEqualTo("v-stuck");
		assertThat(aggregate.received()).extracting(r -> r.header("ce-id")).containsExactly("v-done");
	}

	@Test
	void anOrderedTriggerDeliversOneEventAtATimeInPartitionOrderAnUnorderedOneConcurrentlyUpToItsBound() {
		peer.delay(n -> 20);
		aggregate.delay(n -> 200);
		List<String> ordered = IntStream.range(0, 20).mapToObj(i -> "o-" + i).toList();
		for (String id : ordered) { // one partition key: one partition, appended in this order
			assertThat(post(Map.of("ce-type", "dev.globalevents.sync.summary", "ce-id", id, "ce-region", "us-east", "ce-partitionkey", "k"), "{}"))
					.isEqualTo(202);
		}
		IntStream.range(0, 250).parallel().forEach(i -> post(Map.of("ce-type", "dev.globalevents.event.validated", "ce-id", "u-" + i), "{}"));

		await().atMost(Duration.ofSeconds(30)).until(() -> peer.received().size() == 20 && aggregate.received().size() == 250);
		assertThat(peer.received()).extracting(r -> r.header("ce-id")).containsExactlyElementsOf(ordered);
		assertThat(peer.maxConcurrent()).isEqualTo(1);
		assertThat(aggregate.maxConcurrent()).isGreaterThan(10).isLessThanOrEqualTo(TriggerDispatcher.MAX_IN_FLIGHT);
	}

	@Test
	void whileKafkaIsDownTheIngressAnswers503OrWaitsForTheRestartAndNothingAcceptedIsLost() throws Exception {
		KafkaBroker patient = new KafkaBroker(contract(UUID.randomUUID().toString().substring(0, 8)), Duration.ofSeconds(40));
		KafkaNode kafka = TestKafka.node();
		try {
			await().atMost(Duration.ofSeconds(30)).until(patient::ready);
			kafka.kill();
			HttpResponse<String> refused = postForResponse(broker.ingress(), Map.of("ce-type", "dev.globalevents.event.validated", "ce-id", "v-down"), "{}");
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.body()).contains("not stored");
			CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(
					() -> postForResponse(patient.ingress(), Map.of("ce-type", "dev.globalevents.event.validated", "ce-id", "v-later"), "{}"));
			kafka.start(); // same log directory

			assertThat(waiting.join().statusCode()).isEqualTo(202);
			await().atMost(Duration.ofSeconds(30)).until(() -> aggregate.received().stream().anyMatch(r -> r.header("ce-id").equals("v-later")));
			assertThat(post(Map.of("ce-type", "dev.globalevents.event.validated", "ce-id", "v-after"), "{}")).isEqualTo(202);
			await().atMost(Duration.ofSeconds(30)).until(() -> aggregate.received().stream().anyMatch(r -> r.header("ce-id").equals("v-after")));
			assertThat(aggregate.received()).extracting(r -> r.header("ce-id")).doesNotContain("v-down");
		}
		finally {
			kafka.start();
			patient.close();
		}
	}

	@Test
	void aReplyKafkaCannotTakeIsStoredOnceKafkaIsBackWithoutUsingTheSubscribersRetriesOrTheDeadLetterSink() throws Exception {
		KafkaNode kafka = TestKafka.node();
		try {
			assertThat(post(Map.of("ce-type", "order.created", "ce-id", "held-1"), "{}")).isEqualTo(202);
			assertThat(validateHolds.await(30, TimeUnit.SECONDS)).isTrue();
			kafka.kill();
			validateReleased.countDown(); // validate answers now, and its reply finds no Kafka
			await().atMost(Duration.ofSeconds(30)).until(() -> broker.stats().get("to-validate", "reply_retried") > 2); // more than the Trigger's retry: 2
			kafka.start(); // same log directory

			await().atMost(Duration.ofSeconds(60)).until(() -> aggregate.received().stream().anyMatch(r -> r.header("ce-id").equals("held-1")));
			assertThat(quarantine.received()).isEmpty();
			assertThat(broker.stats().get("to-validate", "retried")).isZero();
			// at least once: the group may rejoin after the restart and hand the uncommitted record out again
			assertThat(broker.stats().get("to-validate", "delivered")).isPositive();
			assertThat(broker.stats().get("to-validate", "dead_lettered")).isZero();
		}
		finally {
			validateReleased.countDown();
			kafka.start();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private int post(Map<String, String> ce, String body) {
		return postForResponse(broker.ingress(), ce, body).statusCode();
	}

	private HttpResponse<String> postForResponse(URI ingress, Map<String, String> ce, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(ingress).header("Content-Type", "application/json")
				.header("ce-specversion", "1.0").header("ce-source", "/regions/us-east/instances/test")
				.POST(HttpRequest.BodyPublishers.ofString(body));
		ce.forEach(request::header);
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}
}

package dev.globalevents.edge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.globalevents.events.testing.RecordingSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The edge role over HTTP: only the gateway's credential gets through, and only to the broker and aggregate's reads. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EdgeHttpTest {

	static final String KEY = "edge-test-key-0123456789abcdef-0123456789";
	static final RecordingSink BROKER = new RecordingSink();
	static final RecordingSink AGGREGATE = new RecordingSink();
	static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("edge.role", () -> "edge");
		registry.add("edge.key", () -> KEY);
		registry.add("edge.broker-ingress", () -> BROKER.url() + "globalevents-us-east/events");
		registry.add("edge.aggregate", AGGREGATE::url);
	}

	@AfterAll
	static void close() {
		BROKER.close();
		AGGREGATE.close();
	}

	@BeforeEach
	void answerNormally() {
		BROKER.answer(202);
		AGGREGATE.answer(200);
	}

	@Test
	void anEventWithTheCredentialGoesToTheBrokerWithItsAttributesAndWithoutTheCredential() throws Exception {
		int before = BROKER.received().size();
		HttpResponse<String> response = send(event().header(EdgeCredential.HEADER, KEY));
		assertThat(response.statusCode()).isEqualTo(202);
		var received = BROKER.received().get(before);
		assertThat(received.target()).isEqualTo("/globalevents-us-east/events");
		assertThat(received.header("ce-id")).isEqualTo("e-1");
		assertThat(received.header("ce-type")).isEqualTo("order.created");
		// the same trace, sampled as the caller decided, under the edge's own span
		assertThat(received.header("traceparent")).matches("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01")
				.isNotEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
		assertThat(received.header(EdgeCredential.HEADER)).isNull();
		assertThat(new String(received.body())).isEqualTo("{\"order_id\":\"o-1\"}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "edge-test-key-0123456789abcdef-012345678", "not-the-key" })
	void withoutTheRightCredentialNothingGetsThrough(String presented) throws Exception {
		int before = BROKER.requests();
		HttpRequest.Builder request = event();
		if (!presented.isEmpty()) {
			request.header(EdgeCredential.HEADER, presented);
		}
		HttpResponse<String> response = send(request);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("urn:globalevents:problem:unauthenticated");
		assertThat(BROKER.requests()).isEqualTo(before);
	}

	@Test
	void readsGoToAggregateWithTheirPathAndQuery() throws Exception {
		int before = AGGREGATE.received().size();
		HttpResponse<String> response = send(HttpRequest.newBuilder(url("/windows?last=3&type=order.created")).header(EdgeCredential.HEADER, KEY));
		assertThat(response.statusCode()).isEqualTo(200);
		var received = AGGREGATE.received().get(before);
		assertThat(received.method()).isEqualTo("GET");
		assertThat(received.target()).isEqualTo("/windows?last=3&type=order.created");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/prometheus", "/actuator/health", "/quarantine", "/events/../windows" })
	void nothingElseIsReachableWithoutTheCredential(String path) throws Exception {
		assertThat(send(HttpRequest.newBuilder(url(path))).statusCode()).isEqualTo(401);
	}

	@Test
	void aPathTheEdgeDoesNotServeIsA404EvenWithTheCredential() throws Exception {
		int before = BROKER.requests() + AGGREGATE.requests();
		HttpResponse<String> response = send(HttpRequest.newBuilder(url("/dead-letters")).header(EdgeCredential.HEADER, KEY));
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(BROKER.requests() + AGGREGATE.requests()).isEqualTo(before);
	}

	@Test
	void healthNeedsNoCredential() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(url("/healthz")));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
	}

	@Test
	void theBrokersRefusalComesBackAsItWas() throws Exception {
		BROKER.answer(400);
		assertThat(send(event().header(EdgeCredential.HEADER, KEY)).statusCode()).isEqualTo(400);
	}

	@Test
	void aBrokerThatCannotBeReachedTookNothingOneThatCutTheConnectionMayHave() throws Exception {
		String unreachable = sendTo("http://127.0.0.1:" + closedPort() + "/globalevents-us-east/events");
		assertThat(unreachable).contains("\"status\":502").contains("urn:globalevents:problem:upstream-unreachable");

		BROKER.answer(RecordingSink.CUT);
		HttpResponse<String> cut = send(event().header(EdgeCredential.HEADER, KEY));
		assertThat(cut.statusCode()).isEqualTo(502);
		assertThat(cut.body()).contains("urn:globalevents:problem:upstream-outcome-unknown");
	}

	/** The edge's answer to an event when its broker ingress is {@code ingress} (an edge of its own, started for it). */
	private static String sendTo(String ingress) throws Exception {
		try (var context = new org.springframework.boot.builder.SpringApplicationBuilder(EdgeApplication.class)
				.run("--server.port=0", "--edge.role=edge", "--edge.key=" + KEY, "--edge.broker-ingress=" + ingress, "--edge.aggregate=" + AGGREGATE.url())) {
			int port = ((org.springframework.boot.web.server.context.WebServerApplicationContext) context).getWebServer().getPort();
			return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events")).POST(HttpRequest.BodyPublishers.ofString("{}"))
					.header("content-type", "application/json").header("ce-id", "e-2").header(EdgeCredential.HEADER, KEY).build(),
					HttpResponse.BodyHandlers.ofString()).body();
		}
	}

	private static int closedPort() throws java.io.IOException {
		try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private HttpRequest.Builder event() {
		return HttpRequest.newBuilder(url("/events")).POST(HttpRequest.BodyPublishers.ofString("{\"order_id\":\"o-1\"}"))
				.header("content-type", "application/json").header("ce-specversion", "1.0").header("ce-id", "e-1")
				.header("ce-source", "/regions/us-east/instances/test").header("ce-type", "order.created")
				.header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
	}

	private URI url(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}
}

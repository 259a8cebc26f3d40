package dev.globalevents.edge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.globalevents.events.testing.RecordingSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay role over HTTP: a summary delivered for a peer goes to the gateway's sync route with this region's key. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RelayHttpTest {

	static final String SYNC_KEY = "sync-test-key-us-east-0123456789abcdef";
	static final RecordingSink GATEWAY = new RecordingSink();
	static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("edge.role", () -> "relay");
		registry.add("edge.gateway", GATEWAY::url);
		registry.add("edge.sync-key", () -> SYNC_KEY);
		registry.add("function.region", () -> "us-east");
	}

	@AfterAll
	static void close() {
		GATEWAY.close();
	}

	@Test
	void aSummaryForAPeerGoesToTheGatewaysSyncRouteWithThisRegionsKey() throws Exception {
		int before = GATEWAY.received().size();
		HttpResponse<String> response = post("/v1/regions/eu-west/sync");
		assertThat(response.statusCode()).isEqualTo(202);
		var received = GATEWAY.received().get(before);
		assertThat(received.target()).isEqualTo("/v1/regions/eu-west/sync");
		assertThat(received.header("authorization")).isEqualTo("Bearer " + SYNC_KEY);
		assertThat(received.header("ce-type")).isEqualTo("dev.globalevents.sync.summary");
	}

	@ParameterizedTest
	@ValueSource(strings = { "us-east", "mars-north" })
	void onlyPeersAreRelayedTo(String region) throws Exception {
		int before = GATEWAY.requests();
		HttpResponse<String> response = post("/v1/regions/" + region + "/sync");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("unknown-peer");
		assertThat(GATEWAY.requests()).isEqualTo(before);
	}

	@Test
	void theRelayIsNotAnEdge() throws Exception {
		int before = GATEWAY.requests();
		assertThat(post("/events").statusCode()).isEqualTo(404);
		assertThat(GATEWAY.requests()).isEqualTo(before);
	}

	private HttpResponse<String> post(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).POST(HttpRequest.BodyPublishers.ofString("{}"))
				.header("content-type", "application/json").header("ce-specversion", "1.0").header("ce-id", "s-1")
				.header("ce-source", "/regions/us-east/aggregate").header("ce-type", "dev.globalevents.sync.summary").build(),
				HttpResponse.BodyHandlers.ofString());
	}
}

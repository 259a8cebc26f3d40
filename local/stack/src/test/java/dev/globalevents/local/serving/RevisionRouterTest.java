package dev.globalevents.local.serving;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The route in front of two revisions (two loopback servers that answer with their name): split, tags, a revision gone. */
class RevisionRouterTest {

	static final HttpClient HTTP = HttpClient.newHttpClient();
	static final ObjectMapper JSON = new ObjectMapper();

	final ServiceRevisions service = new ServiceRevisions("validate");
	final HttpServer first = revision("validate-00001", 200);
	final HttpServer second = revision("validate-00002", 500);
	RevisionRouter router;

	@AfterEach
	void stop() {
		router.close();
		first.stop(0);
		second.stop(0);
	}

	@Test
	void requestsFollowTheSplitAndTheTagHeaderAndTheCountsSayWhoAnsweredWhat() throws Exception {
		start();
		service.patch(JSON.readTree("{\"spec\":{\"traffic\":[{\"revisionName\":\"validate-00001\",\"percent\":75,\"tag\":\"stable\"},"
				+ "{\"revisionName\":\"validate-00002\",\"percent\":25,\"tag\":\"canary\"}]}}"));

		Map<String, Integer> answeredBy = new HashMap<>();
		for (int i = 0; i < 400; i++) {
			HttpResponse<String> answer = post(Map.of("ce-id", "e-" + i));
			answeredBy.merge(answer.body(), 1, Integer::sum);
			assertThat(answer.headers().firstValue("x-echo-ce-id")).as("headers pass both ways").hasValue("e-" + i);
		}
		assertThat(answeredBy.get("validate-00001")).isBetween(240, 360); // 300 expected; 6 standard deviations either side
		assertThat(answeredBy.get("validate-00002")).isBetween(40, 160);
		assertThat(post(Map.of(RevisionRouter.TAG_HEADER, "canary")).body()).isEqualTo("validate-00002");
		assertThat(post(Map.of(RevisionRouter.TAG_HEADER, "stable")).body()).isEqualTo("validate-00001");

		Map<String, Object> revisions = cast(service.describe().get("revisions"));
		assertThat(cast(revisions.get("validate-00002")).get("answered_5xx")).isEqualTo((long) answeredBy.get("validate-00002") + 1);
		assertThat(cast(revisions.get("validate-00001")).get("answered_5xx")).isEqualTo(0L);
	}

	@Test
	void aRevisionThatIsGoneIsAnswered503WithAProblemAndNoneReadyToo() throws Exception {
		router = new RevisionRouter(service, LoopbackInstance.freePort());
		assertThat(post(Map.of()).statusCode()).as("no revision ready yet").isEqualTo(503);

		start();
		second.stop(0);
		service.patch(JSON.readTree("{\"spec\":{\"traffic\":[{\"revisionName\":\"validate-00002\",\"percent\":100}]}}"));
		HttpResponse<String> answer = post(Map.of());

		assertThat(answer.statusCode()).isEqualTo(503);
		assertThat(answer.headers().firstValue("content-type")).hasValue("application/problem+json");
		assertThat(JSON.readTree(answer.body()).get("detail").asText()).contains("validate-00002");
	}

	@Test
	void requestsForARevisionScaledToZeroWaitWhileAnInstanceStartsAndAreAllAnswered() throws Exception {
		LoopbackInstance instance = new LoopbackInstance("validate-00001", Duration.ofMillis(300));
		instance.start();
		RevisionScaler scaler = new RevisionScaler("validate-00001", new Scaling(0, 1, 10, Duration.ofSeconds(1), Duration.ZERO), instance,
				n -> instance, () -> {
				}, System::nanoTime);
		service.add(new ServiceRevisions.Revision("validate-00001", instance.url(), scaler));
		router = new RevisionRouter(service, LoopbackInstance.freePort());
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
			scaler.tick();
			return instance.server == null;
		});

		List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			answers.add(CompletableFuture.supplyAsync(() -> {
				try {
					return post(Map.of("ce-id", "cold"));
				}
				catch (Exception e) {
					throw new IllegalStateException(e);
				}
			}));
		}
		for (CompletableFuture<HttpResponse<String>> answer : answers) {
			assertThat(answer.get().statusCode()).isEqualTo(200);
			assertThat(answer.get().body()).isEqualTo("validate-00001");
		}
		assertThat(instance.starts).as("one instance started for all of them").isEqualTo(2);
		instance.stop();
	}

	private void start() throws IOException {
		service.add(new ServiceRevisions.Revision("validate-00001", url(first), fixed(url(first))));
		service.add(new ServiceRevisions.Revision("validate-00002", url(second), fixed(url(second))));
		if (router == null) {
			router = new RevisionRouter(service, LoopbackInstance.freePort());
		}
	}

	private HttpResponse<String> post(Map<String, String> headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(router.url().resolve("/?q=1")).timeout(Duration.ofSeconds(10))
				.POST(HttpRequest.BodyPublishers.ofString("{}"));
		headers.forEach(request::header);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** A revision: answers {@code status} with its name, echoing the ce-id header back. */
	private static HttpServer revision(String name, int status) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
			server.createContext("/", exchange -> {
				exchange.getRequestBody().readAllBytes();
				String id = exchange.getRequestHeaders().getFirst("ce-id");
				if (id != null) {
					exchange.getResponseHeaders().set("x-echo-ce-id", id);
				}
				byte[] body = name.getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(status, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	/** A revision of one instance that is always there (min-scale and max-scale 1): the server at {@code url}. */
	private static RevisionScaler fixed(URI url) {
		RevisionScaler.Instance only = new RevisionScaler.Instance() {
			@Override
			public URI url() {
				return url;
			}

			@Override
			public void start() {
			}

			@Override
			public void stop() {
			}
		};
		return new RevisionScaler("always-there", new Scaling(1, 1, 100, Duration.ofSeconds(60), Duration.ZERO), only, n -> only, () -> {
		}, System::nanoTime);
	}

	private static URI url(HttpServer server) {
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> cast(Object map) {
		return (Map<String, Object>) map;
	}
}

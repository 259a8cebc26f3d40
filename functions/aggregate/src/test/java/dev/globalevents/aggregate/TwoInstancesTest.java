package dev.globalevents.aggregate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Json;
import dev.globalevents.events.testing.RecordingSink;
import dev.globalevents.events.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two running aggregate apps (two Spring contexts, as two Knative pods would be) on one Redis: events posted to
 * both concurrently, each also re-delivered to the other instance, are counted exactly once, and each window is
 * closed and emitted exactly once although both tickers race for it.
 */
class TwoInstancesTest {

	static final HttpClient HTTP = HttpClient.newHttpClient();

	@Test
	void twoAppsOnOneRedisCountEveryEventOnceAndEmitEveryWindowOnce() throws Exception {
		try (RedisServer redis = RedisServer.started(); RecordingSink sink = new RecordingSink();
				ConfigurableApplicationContext a = start(redis, sink);
				ConfigurableApplicationContext b = start(redis, sink);
				ExecutorService pool = Executors.newFixedThreadPool(8)) {
			List<String> urls = List.of(url(a), url(b));
			int events = 400;
			Instant start = Instant.now();
			List<Future<Integer>> posts = new ArrayList<>();
			for (int i = 0; i < events; i++) {
				ObjectNode event = AggregateFixture.validated(start.plusMillis(i * 5L));
				posts.add(pool.submit(() -> post(urls.get(0), event)));
				posts.add(pool.submit(() -> post(urls.get(1), event)));
			}
			for (Future<Integer> post : posts) {
				assertThat(post.get()).isEqualTo(200);
			}

			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				assertThat(emittedCount(sink)).isEqualTo(events);
				assertThat(summarizedCount(sink)).isEqualTo(events);
			});
			assertThat(metrics(sink).stream().map(r -> r.header("ce-id")).toList()).doesNotHaveDuplicates();
		}
	}

	private static ConfigurableApplicationContext start(RedisServer redis, RecordingSink sink) {
		return new SpringApplicationBuilder(AggregateApplication.class).run("--server.port=0",
				"--function.redis.url=" + redis.url(), "--function.sink=" + sink.url(), "--aggregate.window-size=1s",
				"--aggregate.allowed-lateness=4s", "--aggregate.close-interval=100ms",
				"--spring.application.name=aggregate-" + UUID.randomUUID());
	}

	private static String url(ConfigurableApplicationContext context) {
		return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort() + "/events";
	}

	private static int post(String url, ObjectNode event) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/cloudevents+json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(event))).build(),
				HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static List<RecordingSink.Received> metrics(RecordingSink sink) {
		return sink.received().stream().filter(r -> CloudEventTypes.METRICS_WINDOW.equals(r.header("ce-type"))).toList();
	}

	/** Events in the histograms of the published window summaries. */
	private static long summarizedCount(RecordingSink sink) {
		long total = 0;
		for (RecordingSink.Received summary : sink.received()) {
			if (CloudEventTypes.SYNC_SUMMARY.equals(summary.header("ce-type"))) {
				for (JsonNode type : Json.MAPPER.readTree(summary.body()).get("types")) {
					for (JsonNode bucket : type.get("e2e")) {
						total += bucket.asLong();
					}
				}
			}
		}
		return total;
	}

	private static long emittedCount(RecordingSink sink) {
		return metrics(sink).stream().mapToLong(r -> Json.MAPPER.readTree(r.body()).at("/metrics/event_count").asLong()).sum();
	}

}

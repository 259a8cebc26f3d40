package dev.globalevents.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.globalevents.grafana.ClickHouseHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No loss, shown on the packaged stack: at a steady rate through the gateway, one part of the region is killed without
 * warning (SIGKILL, as a crashed pod) and started again: the broker process, the Kafka node (same log directory),
 * validate, export-metrics, the quarantine. Every event the gateway answered 2xx must be counted by aggregate exactly
 * once: each id once in aggregate's retained events, and the windows' total plus the late count grown by exactly the
 * number of accepted events. What the broker gave up on while a subscriber was down (its retries, 5 from 0.2 s,
 * exponential: about 6 s) is in the quarantine, and is replayed from there, as an operator would; nothing is only in a
 * log. For export-metrics, every window aggregate closed during the run also reaches ClickHouse with aggregate's count.
 * (The sender sends a refused event again with its first event time; one the outage held back longer than the
 * window's allowed lateness, 30 s, is counted as late, not in its window, as aggregate does for any late event.)
 */
@ExtendWith(PackagedStack.Shared.class)
class DurabilityIT {

	static final int RATE = 25;

	final PackagedStack stack = PackagedStack.Shared.stack();
	final Client client = new Client(stack);

	@Test
	void aBrokerKilledWithoutWarningLosesNoEventItAcceptedAndCountsNoneTwice() throws Exception {
		survives("/api/brokers/" + PackagedStack.REGION, "kill", stack::brokerReady);
	}

	@Test
	void aKafkaNodeKilledWithoutWarningAndRestartedOnItsLogLosesNoAcceptedEventAndCountsNoneTwice() throws Exception {
		survives("/api/kafka", "kill", stack::brokerReady);
	}

	/**
	 * The hole a de-duplicating subscriber can open: validate marks an event seen, its reply is lost on the way back,
	 * the broker delivers it again. validate answers the retry with the same validated event (not an empty "duplicate"
	 * answer), so aggregate counts it once.
	 */
	@Test
	void aReplyOfValidateLostAfterItMarkedTheEventSeenIsAnsweredAgainOnTheRetryAndCountedOnce() throws Exception {
		int events = 10;
		long countedBefore = client.counted() + late();
		long duplicatesBefore = client.metric("validate", "validate_events_total{outcome=\"duplicate\"");
		URI broker = URI.create(stack.description().at("/regions/" + PackagedStack.REGION + "/broker_process/stats").asText());
		HttpResponse<String> fault = Client.HTTP.send(HttpRequest.newBuilder(broker.resolve("/faults/lose-replies?trigger=validate-incoming&count=" + events))
				.POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(fault.statusCode()).as(fault.body()).isEqualTo(200);

		Set<String> sent = new HashSet<>();
		for (int i = 0; i < events; i++) {
			String id = java.util.UUID.randomUUID().toString();
			HttpResponse<String> response = client.binary(id, "order.created", Client.ORDER);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
			sent.add(id);
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> countedIds(sent).keySet().equals(sent));
		assertThat(countedIds(sent).values()).allMatch(times -> times == 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> client.counted() + late() - countedBefore == events);
		JsonNode stats = Client.JSON.readTree(Client.get(broker));
		assertThat(stats.at("/triggers/validate-incoming/replies_lost").asLong()).isGreaterThanOrEqualTo(events);
		assertThat(client.metric("validate", "validate_events_total{outcome=\"duplicate\"") - duplicatesBefore)
				.as("retried deliveries validate answered as duplicates").isGreaterThanOrEqualTo(events);
		System.out.printf("[durability] %d replies of validate lost: each event delivered again, answered again, counted once%n", events);
	}

	@ParameterizedTest(name = "{0} killed without warning and started again")
	@ValueSource(strings = {"validate", "export-metrics", "quarantine"})
	void aFunctionKilledWithoutWarningLosesNoEventItAcceptedAndCountsNoneTwice(String function) throws Exception {
		Instant from = Instant.now();
		survives("/api/functions/" + PackagedStack.REGION + "/" + function, "kill", () -> functionReady(function));
		if (function.equals("export-metrics")) {
			windowsReachClickHouse(from, function);
		}
	}

	@Test
	void redisStoppedAndStartedOnItsAppendOnlyFileLosesNoEventItAcceptedAndCountsNoneTwice() throws Exception {
		survives("/api/redis/" + PackagedStack.REGION, "stop", () -> redis("PING").strip().equals("PONG"));
	}

	@Test
	void theGatewayKilledWithoutWarningLosesNoEventItAcceptedAndCountsNoneTwice() throws Exception {
		// requests in flight at the kill lose their answers: the client sends them again, validate de-duplicates
		survives("/api/gateway", "kill", () -> Client.HTTP.send(HttpRequest.newBuilder(stack.gateway().resolve("/v1/health"))
				.timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
	}

	@Test
	void clickHouseKilledWithoutWarningGetsEveryWindowOnceExportMetricsSpilledMeanwhile() throws Exception {
		Instant from = Instant.now();
		survives("/api/clickhouse", "kill", () -> new ClickHouseHttp(stack.description().get("clickhouse").asText()).query("SELECT 1").rows().size() == 1);
		windowsReachClickHouse(from, "clickhouse");
	}

	/** Every window aggregate closed since {@code from} is in ClickHouse, with aggregate's count, once (FINAL). */
	private void windowsReachClickHouse(Instant from, String killed) {
		await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
				.untilAsserted(() -> assertThat(exported(from)).isEqualTo(closedWindows(from)).isNotEmpty());
		System.out.printf("[durability] %s: the windows closed since the kill are in ClickHouse with aggregate's counts: %s%n", killed, exported(from));
	}

	private void survives(String control, String down, Callable<Boolean> ready) throws Exception {
		Reconciliation reconciliation = Reconciliation.before(stack, client);
		Set<String> accepted;
		Map<Integer, Long> refused;
		try (SteadySender sender = new SteadySender(stack, RATE)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> sender.acceptedCount() >= 2 * RATE);
			JsonNode killed = stack.control(control + "/" + down);
			assertThat(killed.get("alive").asBoolean()).isFalse();
			long sentAtKill = sender.sent();
			await().atMost(Duration.ofSeconds(30)).until(() -> sender.sent() >= sentAtKill + 2 * RATE); // 2 s of load meets it down
			assertThat(stack.control(control + "/start").get("alive").asBoolean()).isTrue();
			await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(ready);
			long acceptedAtRestart = sender.acceptedCount();
			await().atMost(Duration.ofSeconds(90)).until(() -> sender.acceptedCount() >= acceptedAtRestart + 2 * RATE);
			accepted = sender.finish();
			refused = sender.refusedAttempts();
			assertThat(accepted).hasSize((int) sender.sent());
		}
		System.out.printf("[durability] %s %s and started: %d events accepted, refused attempts (sent again) by status %s%n", control, down, accepted.size(), refused);
		// each accepted event is counted or, when the broker gave up on it, in the quarantine: replay those
		reconciliation.check(control, accepted);
	}

	private boolean functionReady(String function) {
		try {
			URI ready = URI.create(stack.description().at("/regions/" + PackagedStack.REGION + "/functions/" + function + "/ready").asText());
			return Client.HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException | InterruptedException e) {
			return false;
		}
	}

	/** aggregate's closed windows that ended after {@code from} (the one open at {@code from} included): start to count. */
	private Map<Instant, Long> closedWindows(Instant from) throws IOException, InterruptedException {
		Map<Instant, Long> windows = new TreeMap<>();
		for (JsonNode window : Client.JSON.readTree(Client.get(stack.function("aggregate").resolve("/windows?last=360"))).get("windows")) {
			Instant start = Instant.parse(window.get("start").asText());
			Instant end = Instant.parse(window.get("end").asText());
			if (window.get("closed").asBoolean() && end.isAfter(from) && window.at("/total/count").asLong() > 0) {
				windows.put(start, window.at("/total/count").asLong());
			}
		}
		return windows;
	}

	/** The same windows as export-metrics wrote them to ClickHouse (all event types' row). */
	private Map<Instant, Long> exported(Instant from) {
		Map<Instant, Long> windows = new TreeMap<>();
		String sql = "SELECT toUnixTimestamp(assumeNotNull(window_start)), event_count FROM globalevents.metrics FINAL WHERE kind = 'window'"
				+ " AND event_type = '' AND region = '" + PackagedStack.REGION + "' AND event_count > 0 AND window_end > toDateTime(" + from.getEpochSecond() + ")";
		for (List<String> row : new ClickHouseHttp(stack.description().get("clickhouse").asText()).query(sql).rows()) {
			windows.put(Instant.ofEpochSecond(Long.parseLong(row.get(0))), Long.parseLong(row.get(1)));
		}
		return windows;
	}

	private long late() throws IOException, InterruptedException {
		return RetainedEvents.late(stack, PackagedStack.REGION);
	}

	private String redis(String... command) throws IOException, InterruptedException {
		return RetainedEvents.redis(stack, PackagedStack.REGION, command);
	}

	private Map<String, Integer> countedIds(Set<String> sent) throws IOException, InterruptedException {
		return RetainedEvents.counted(stack, PackagedStack.REGION, sent);
	}
}

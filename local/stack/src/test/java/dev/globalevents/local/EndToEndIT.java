package dev.globalevents.local;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged stack of one region (us-east) as {@code make run} starts it: events through the gateway in both
 * CloudEvents modes, with duplicates and invalid ones, reconcile exactly with what aggregate counted, what the gateway
 * refused and what the quarantine holds — also across a kill -9 of aggregate mid-run; the live page in headless
 * Chromium.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT extends StackTest {

	@Test
	@Order(0)
	void theStackRunsThePackagedJarsAsSeparateProcessesStartedByTheLauncherAndDeliversOnlyOnThisMachine() throws Exception {
		ProcessHandle launcher = ProcessHandle.of(stack.description().get("pid").asLong()).orElseThrow();
		assertThat(launcher.info().commandLine().orElseThrow()).contains("-XX:+UseParallelGC")
				.containsPattern("-jar \\S*local/stack/target/local-stack-[^ ]*-exec\\.jar");
		for (String function : List.of("validate", "aggregate", "generate", "export-metrics", "quarantine")) {
			long pid = stack.pid(function);
			ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(function + " is not running"));
			assertThat(process.parent().map(ProcessHandle::pid)).hasValue(launcher.pid());
			// as its image starts: on the image's Java runtime (functions/<f>/target/java, a link to target/java-runtime),
			// the extracted jar with the AOT cache its build trained there, which the JVM mapped (took)
			assertThat(process.info().commandLine().orElseThrow()).containsPattern("^\\S*/target/java-runtime/bin/java -XX:AOTCache=\\S*functions/" + function
					+ "/target/app/app\\.aot -jar \\S*functions/" + function + "/target/app/" + function + "-[0-9][^ ]*\\.jar");
			assertThat(mappedArchiveBytes(pid)).as("the JVM mapped the app's AOT cache, not only the JDK's own CDS archive (~13 MB)")
					.isGreaterThan(Files.size(PackagedStack.ROOT.resolve("functions/" + function + "/target/app/app.aot")) / 2);
			// from the bean definitions Spring AOT worked out when it was built (-Dspring.aot.enabled=true below)
			assertThat(Files.readString(stack.state().resolve(PackagedStack.REGION + "-" + function + ".log"))).contains("Starting AOT-processed");
			// the JVM options the Knative Services declare (JAVA_TOOL_OPTIONS from the globalevents-config ConfigMap)
			assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0"))
					.contains("JAVA_TOOL_OPTIONS=-XX:+UseParallelGC -Xms16m -Xmx512m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=40 -XX:TrimNativeHeapInterval=2000 -Dspring.aot.enabled=true");
		}
		ProcessHandle broker = ProcessHandle.of(stack.description().at("/regions/" + PackagedStack.REGION + "/broker_process/pid").asLong()).orElseThrow();
		assertThat(broker.parent().map(ProcessHandle::pid)).hasValue(launcher.pid());
		assertThat(broker.info().commandLine().orElseThrow()).containsPattern("-jar \\S*local/stack/target/local-stack-[^ ]*-exec\\.jar broker \\S*us-east-broker\\.json");
		ProcessHandle kafka = ProcessHandle.of(stack.description().at("/kafka/pid").asLong()).orElseThrow();
		assertThat(kafka.parent().map(ProcessHandle::pid)).hasValue(launcher.pid());
		assertThat(kafka.info().commandLine().orElseThrow()).contains("local/kafka/target/lib/*").endsWith("kafka.Kafka " + stack.state().resolve("kafka/server.properties"));
		assertThat(stack.description().at("/regions/" + PackagedStack.REGION + "/broker_process/topic").asText())
				.isEqualTo("knative-broker-globalevents-" + PackagedStack.REGION + "-events");
		JsonNode triggers = stack.description().at("/regions/" + PackagedStack.REGION + "/triggers");
		assertThat(triggers.size()).isPositive();
		triggers.forEach(trigger -> assertThat(trigger.at("/subscriber").asText()).startsWith("http://127.0.0.1:"));
		assertThat(stack.gateway().getHost()).isEqualTo("127.0.0.1");
	}

	@Test
	@Order(1)
	void everyValidEventIsCountedOnceInvalidOnesAreRefusedAtTheGatewayOrQuarantinedByValidateWithTheirReasons() throws Exception {
		long countedBefore = client.counted();
		long quarantinedBefore = client.quarantined();
		long duplicatesBefore = client.metric("validate", "validate_events_total{outcome=\"duplicate\"");
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			String id = UUID.randomUUID().toString();
			ids.add(id);
			HttpResponse<String> sent = i % 2 == 0 ? client.binary(id, "order.created", Client.ORDER) : client.structured(id, "order.created", Client.ORDER);
			assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
		}
		for (String id : ids.subList(0, 10)) {
			assertThat(client.binary(id, "order.created", Client.ORDER).statusCode()).isEqualTo(202);
		}
		// the gateway checks the contract and the registry itself: refused at the edge with the reason (the sender keeps them)
		Map<String, HttpResponse<String>> refused = Map.of(
				"missing payload field", client.binary(UUID.randomUUID().toString(), "order.created", "{\"customer_id\":\"c-1\",\"amount\":1,\"currency\":\"EUR\",\"items\":1}"),
				"unregistered type", client.binary(UUID.randomUUID().toString(), "nobody.knows", "{}"),
				"broken JSON", client.binary(UUID.randomUUID().toString(), "order.created", "{\"order_id\":"),
				"bad id", client.structured("not-a-uuid", "order.created", Client.ORDER));
		refused.forEach((what, answer) -> {
			assertThat(answer.statusCode()).as(what + ": " + answer.body()).isEqualTo(400);
			assertThat(answer.headers().firstValue("content-type")).hasValue("application/problem+json");
		});
		// producers inside the region (generate's malformed chaos) post to the broker directly: validate refuses, the
		// broker dead-letters to the quarantine with validate's reason
		assertThat(toBroker("order.created", "{\"customer_id\":\"c-1\",\"amount\":1,\"currency\":\"EUR\",\"items\":1}")).isEqualTo(202);
		assertThat(toBroker("nobody.knows", "{}")).isEqualTo(202);

		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			assertThat(client.counted() - countedBefore).isEqualTo(40);
			assertThat(client.quarantined() - quarantinedBefore).isEqualTo(2);
		});
		assertThat(client.metric("validate", "validate_events_total{outcome=\"duplicate\"") - duplicatesBefore).isEqualTo(10);
		assertThat(client.countedThroughTheGateway()).isEqualTo(client.counted());
		JsonNode entries = client.quarantine().get("entries");
		for (int i = 0; i < 2; i++) {
			assertThat(entries.get(i).at("/error/status").asText()).isEqualTo("400");
			assertThat(entries.get(i).at("/error/answer").asText()).contains("urn:globalevents:problem:");
		}
	}

	/** A binary-mode event straight to the region's broker ingress, as a producer inside the cluster sends it. */
	static int toBroker(String type, String data) throws Exception {
		return Client.HTTP.send(java.net.http.HttpRequest.newBuilder(stack.broker()).header("Content-Type", "application/json")
				.header("Ce-Specversion", "1.0").header("Ce-Id", UUID.randomUUID().toString())
				.header("Ce-Source", "/regions/" + PackagedStack.REGION + "/instances/inside").header("Ce-Type", type)
				.header("Ce-Time", java.time.Instant.now().toString()).POST(java.net.http.HttpRequest.BodyPublishers.ofString(data)).build(),
				HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	@Test
	@Order(2)
	void aggregateKilledMidRunLosesNothingWhatTheBrokerGaveUpOnIsReplayedFromTheQuarantine() throws Exception {
		// replayed events arrive well after their windows closed when restarting aggregate is slow: aggregate then counts
		// them as late (its allowed lateness is 30 s), so what is counted is the windows' total plus the late count
		long countedBefore = countedOrLate();
		long quarantinedBefore = client.quarantined();
		long pid = stack.pid("aggregate");

		assertThat(stack.kill("aggregate").get("alive").asBoolean()).isFalse();
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		for (int i = 0; i < 20; i++) {
			HttpResponse<String> sent = client.binary(UUID.randomUUID().toString(), "order.created", Client.ORDER);
			assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
		}
		// aggregate stays down past the Trigger's retries (5, exponential from 0.2 s): the broker dead-letters them
		await().atMost(Duration.ofSeconds(60)).until(() -> client.quarantined() == quarantinedBefore + 20);
		stack.restart("aggregate");
		await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> countedOrLate() == countedBefore);

		List<String> undelivered = new ArrayList<>();
		for (JsonNode entry : client.quarantine().get("entries")) {
			if ("dev.globalevents.event.validated".equals(entry.get("type").asText())) {
				assertThat(entry.at("/error/status").asText()).isEqualTo("500");
				undelivered.add(entry.get("id").asText());
			}
		}
		assertThat(undelivered).hasSize(20);
		client.replay(undelivered);
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(countedOrLate() - countedBefore).isEqualTo(20));
		assertThat(client.quarantined()).isEqualTo(quarantinedBefore);
	}

	private static long countedOrLate() throws Exception {
		return client.counted() + RetainedEvents.late(stack, PackagedStack.REGION);
	}

	@Test
	@Order(3)
	void theLivePageInHeadlessChromiumShowsLiveChangingNumbersAndTheLoadRunning() throws Exception {
		long quarantined = client.quarantined();
		assertThat(toBroker("nobody.knows", "{}")).isEqualTo(202); // so the page has a quarantined event to show
		await().atMost(Duration.ofSeconds(30)).until(() -> client.quarantined() > quarantined);
		long before = Long.parseLong(Chromium.metric(stack.dashboard(), "us-east.events_total"));
		long countedBefore = client.counted();

		for (int i = 0; i < 10; i++) {
			assertThat(client.binary(UUID.randomUUID().toString(), "order.created", Client.ORDER).statusCode()).isEqualTo(202);
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> client.counted() == countedBefore + 10);

		// the page's total covers the last 6 windows (a minute), so earlier tests' events age out of it: it must have
		// changed, and show what aggregate's same windows hold
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			long shown = Long.parseLong(Chromium.metric(stack.dashboard(), "us-east.events_total"));
			assertThat(shown).isNotEqualTo(before)
					.isEqualTo(Client.total(Client.JSON.readTree(Client.get(stack.function("aggregate").resolve("/windows?last=6")))));
		});
		assertThat(Chromium.metric(stack.dashboard(), "load.summary")).startsWith("none");
		assertThat(Double.parseDouble(Chromium.metric(stack.dashboard(), "us-east.processing_mean_ms"))).isPositive();
		assertThat(Chromium.dom(stack.dashboard())).contains("data-metric=\"us-east.queue_depth\"")
				.contains("data-metric=\"us-east.latency_p99_ms\"").contains("data-metric=\"quarantine.reason\"");
	}

	/**
	 * The size of the class archives the JVM mapped ({@code jcmd <pid> VM.info}: "CDS archive(s) mapped at: [...], size
	 * N"); asked again for up to a minute while the JVM does not answer the attach yet.
	 */
	private static long mappedArchiveBytes(long pid) {
		java.util.regex.Pattern archives = java.util.regex.Pattern.compile("CDS archive\\(s\\) mapped at: .*size (\\d+)");
		String[] info = { "" };
		await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), "VM.info")
					.redirectErrorStream(true).start();
			info[0] = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			jcmd.waitFor();
			assertThat(archives.matcher(info[0]).find()).as("VM.info of " + pid + ": " + info[0].lines().limit(5).toList()).isTrue();
		});
		java.util.regex.Matcher mapped = archives.matcher(info[0]);
		mapped.find();
		return Long.parseLong(mapped.group(1));
	}
}

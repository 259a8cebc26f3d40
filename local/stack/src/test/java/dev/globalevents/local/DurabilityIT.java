package dev.globalevents.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No loss, shown on the packaged stack: at a steady rate through the gateway, the region's broker process is killed
 * without warning (SIGKILL) and started again, and so is the Kafka node (same log directory). Every event the
 * gateway answered 2xx must be counted by aggregate exactly once: each id once in aggregate's retained events, and
 * the windows' total plus the late count grown by exactly the number of accepted events. (The sender sends a refused
 * event again with its first event time; one the outage held back longer than the window's allowed lateness, 30 s,
 * is counted as late, not in its window, as aggregate does for any late event.)
 */
@ExtendWith(PackagedStack.Shared.class)
class DurabilityIT {

	static final int RATE = 25;

	final PackagedStack stack = PackagedStack.Shared.stack();
	final Client client = new Client(stack);

	@Test
	void aBrokerKilledWithoutWarningLosesNoEventItAcceptedAndCountsNoneTwice() throws Exception {
		survives("/api/brokers/" + PackagedStack.REGION);
	}

	@Test
	void aKafkaNodeKilledWithoutWarningAndRestartedOnItsLogLosesNoAcceptedEventAndCountsNoneTwice() throws Exception {
		survives("/api/kafka");
	}

	private void survives(String control) throws Exception {
		long lateBefore = late();
		long countedBefore = client.counted() + lateBefore;
		Set<String> accepted;
		Map<Integer, Long> refused;
		try (SteadySender sender = new SteadySender(stack, RATE)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> sender.acceptedCount() >= 2 * RATE);
			JsonNode killed = stack.control(control + "/kill");
			assertThat(killed.get("alive").asBoolean()).isFalse();
			long sentAtKill = sender.sent();
			await().atMost(Duration.ofSeconds(30)).until(() -> sender.sent() >= sentAtKill + 2 * RATE); // 2 s of load meets it down
			assertThat(stack.control(control + "/start").get("alive").asBoolean()).isTrue();
			await().atMost(Duration.ofSeconds(90)).until(stack::brokerReady);
			long acceptedAtRestart = sender.acceptedCount();
			await().atMost(Duration.ofSeconds(90)).until(() -> sender.acceptedCount() >= acceptedAtRestart + 2 * RATE);
			accepted = sender.finish();
			refused = sender.refusedAttempts();
			assertThat(accepted).hasSize((int) sender.sent());
		}
		System.out.printf("[durability] %s killed and started: %d events accepted, refused attempts (sent again) by status %s%n", control, accepted.size(), refused);
		assertThat(refused.values().stream().mapToLong(Long::longValue).sum()).as("the kill was felt by the sender").isPositive();

		await().atMost(Duration.ofSeconds(90)).until(() -> countedIds(accepted).keySet().containsAll(accepted));
		Map<String, Integer> counted = countedIds(accepted);
		assertThat(counted.keySet()).isEqualTo(accepted);
		assertThat(counted.values()).allMatch(times -> times == 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> client.counted() + late() - countedBefore == accepted.size());
		System.out.printf("[durability] %s: %d of the %d accepted events counted as late%n", control, late() - lateBefore, accepted.size());
	}

	/** Events aggregate counted as late, all types (hash agg:{<region>}:late, see AggregateKeys). */
	private long late() throws IOException, InterruptedException {
		String output = redis("HVALS", "agg:{" + PackagedStack.REGION + "}:late");
		return output.lines().filter(line -> !line.isBlank()).mapToLong(Long::parseLong).sum();
	}

	private String redis(String... command) throws IOException, InterruptedException {
		List<String> args = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(stack.redisPort()), "--raw"));
		args.addAll(List.of(command));
		Process read = new ProcessBuilder(args).redirectErrorStream(true).start();
		String output = new String(read.getInputStream().readAllBytes());
		assertThat(read.waitFor()).as(output).isZero();
		return output;
	}

	/** Which of these event ids are in aggregate's retained events (key agg:{<region>}:events, see AggregateKeys), how often each. */
	private Map<String, Integer> countedIds(Set<String> sent) throws IOException, InterruptedException {
		String output = redis("XRANGE", "agg:{" + PackagedStack.REGION + "}:events", "-", "+");
		Map<String, Integer> ids = new HashMap<>();
		for (String line : output.split("\n")) {
			if (line.startsWith("{")) {
				String id = Client.JSON.readTree(line).path("id").asText();
				if (sent.contains(id)) {
					ids.merge(id, 1, Integer::sum);
				}
			}
		}
		return ids;
	}
}

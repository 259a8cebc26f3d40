package dev.globalevents.local;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Nothing lost, counted once", checked in the test region after a run under load: taken before the run
 * ({@link #before}), then {@link #check} waits until each accepted event is counted or in the quarantine (where the
 * broker puts what it gave up on), replays the quarantine's new dead letters as an operator would, and asserts every
 * accepted event is retained by aggregate exactly once, the windows (plus late counts) grew by exactly that many, and
 * the quarantine is as before.
 */
final class Reconciliation {

	private final PackagedStack stack;
	private final Client client;
	private final long countedBefore;
	private final long lateBefore;
	private final Set<String> quarantinedBefore;

	private Reconciliation(PackagedStack stack, Client client) throws IOException, InterruptedException {
		this.stack = stack;
		this.client = client;
		this.lateBefore = late();
		this.countedBefore = client.counted() + lateBefore;
		this.quarantinedBefore = quarantined().keySet();
	}

	static Reconciliation before(PackagedStack stack, Client client) throws IOException, InterruptedException {
		return new Reconciliation(stack, client);
	}

	/** Checks the accepted events; prints what it found under {@code label}; answers how many dead letters it replayed. */
	int check(String label, Set<String> accepted) throws IOException, InterruptedException {
		await().atMost(Duration.ofSeconds(90)).until(() -> {
			Set<String> there = new HashSet<>(counted(accepted).keySet());
			there.addAll(quarantined().values());
			return there.containsAll(accepted);
		});
		Map<String, String> deadLetters = new HashMap<>(quarantined());
		deadLetters.keySet().removeAll(quarantinedBefore);
		if (!deadLetters.isEmpty()) {
			JsonNode replayed = client.replay(List.copyOf(deadLetters.keySet()));
			System.out.printf("[reconcile] %s: %d dead letters replayed from the quarantine: %s%n", label, deadLetters.size(), replayed);
		}
		await().atMost(Duration.ofSeconds(90)).until(() -> counted(accepted).keySet().containsAll(accepted));
		Map<String, Integer> counted = counted(accepted);
		assertThat(counted.keySet()).isEqualTo(accepted);
		assertThat(counted.values()).allMatch(times -> times == 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> client.counted() + late() - countedBefore == accepted.size());
		assertThat(quarantined().keySet()).as("the quarantine after the replay").isEqualTo(quarantinedBefore);
		System.out.printf("[reconcile] %s: %d accepted events each counted once, %d of them as late, %d dead letters replayed%n", label,
				accepted.size(), late() - lateBefore, deadLetters.size());
		return deadLetters.size();
	}

	/** The quarantine's entries: entry id to event id. */
	private Map<String, String> quarantined() throws IOException, InterruptedException {
		Map<String, String> entries = new HashMap<>();
		client.quarantine().get("entries").forEach(entry -> entries.put(entry.get("id").asText(), entry.path("event_id").asText()));
		return entries;
	}

	private Map<String, Integer> counted(Set<String> ids) throws IOException, InterruptedException {
		return RetainedEvents.counted(stack, PackagedStack.REGION, ids);
	}

	private long late() throws IOException, InterruptedException {
		return RetainedEvents.late(stack, PackagedStack.REGION);
	}
}

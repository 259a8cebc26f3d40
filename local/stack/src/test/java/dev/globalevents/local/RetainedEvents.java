package dev.globalevents.local;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What aggregate keeps in a region's Redis, read with redis-cli: the retained events (key {@code agg:{<region>}:events},
 * see AggregateKeys), to tell which events were counted and how often, and the late counts ({@code agg:{<region>}:late}).
 */
final class RetainedEvents {

	private RetainedEvents() {
	}

	/** Which of these event ids aggregate retained in the region, how often each. */
	static Map<String, Integer> counted(PackagedStack stack, String region, Set<String> ids) throws IOException, InterruptedException {
		Map<String, Integer> times = new HashMap<>();
		for (String line : redis(stack, region, "XRANGE", "agg:{" + region + "}:events", "-", "+").split("\n")) {
			if (line.startsWith("{")) {
				String id = Client.JSON.readTree(line).path("id").asText();
				if (ids.contains(id)) {
					times.merge(id, 1, Integer::sum);
				}
			}
		}
		return times;
	}

	/** Events aggregate counted as late in the region, all types. */
	static long late(PackagedStack stack, String region) throws IOException, InterruptedException {
		return redis(stack, region, "HVALS", "agg:{" + region + "}:late").lines().filter(line -> !line.isBlank()).mapToLong(Long::parseLong).sum();
	}

	/** A redis-cli command against the region's redis-server; its raw output. */
	static String redis(PackagedStack stack, String region, String... command) throws IOException, InterruptedException {
		int port = URI.create(stack.description().at("/regions/" + region + "/redis").asText()).getPort();
		List<String> args = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port), "--raw"));
		args.addAll(List.of(command));
		Process read = new ProcessBuilder(args).redirectErrorStream(true).start();
		String output = new String(read.getInputStream().readAllBytes());
		assertThat(read.waitFor()).as(output).isZero();
		return output;
	}
}

package dev.globalevents.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What aggregate counted, read back from its Redis: the retained-event stream {@code agg:{<region>}:events} (see
 * AggregateKeys) has one entry per event counted, with the event ({@code e}) and when it was counted ({@code a},
 * epoch ms). Read with {@code redis-cli} from a given time on.
 */
final class ReadBack {

	private static final ObjectMapper JSON = new ObjectMapper();

	private ReadBack() {
	}

	/** Event id → when aggregate counted it (epoch ms), for the events counted since {@code fromMillis}. */
	static Map<String, Long> counted(Stack.Region region, long fromMillis) throws IOException, InterruptedException {
		Process read = new ProcessBuilder("redis-cli", "-p", Integer.toString(region.redisPort()), "--raw", "XRANGE",
				"agg:{" + region.name() + "}:events", Long.toString(fromMillis), "+").redirectErrorStream(true).start();
		Map<String, Long> counted = new HashMap<>();
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(read.getInputStream(), StandardCharsets.UTF_8))) {
			String id = null;
			String previous = "";
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				if (previous.equals("e")) {
					id = JSON.readTree(line).path("id").asText();
				}
				else if (previous.equals("a") && id != null) {
					counted.put(id, Long.parseLong(line.trim()));
					id = null;
				}
				previous = line;
			}
		}
		if (read.waitFor() != 0) {
			throw new IllegalStateException("redis-cli XRANGE failed on port " + region.redisPort());
		}
		return counted;
	}
}

package dev.globalevents.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.globalevents.events.LatencyHistogram;

/**
 * What the stack itself reports: aggregate's windows (end-to-end and transit histograms, merged over the windows of
 * a time span with the same buckets aggregate uses) and the broker's consumer lag.
 */
final class StackReadings {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** Events counted in windows of a span, with their end-to-end (event time → counted) and transit (validated → counted) histograms. */
	record Windows(long count, LatencyHistogram e2e, LatencyHistogram transit) {
	}

	private StackReadings() {
	}

	static long windowSizeMillis(Stack.Region region) throws IOException, InterruptedException {
		return get(region.aggregate().resolve("/windows?last=1")).get("window_size_ms").asLong();
	}

	/** The windows of every region that start within [from, to) (epoch ms), merged. */
	static Windows windows(Stack stack, long from, long to) throws IOException, InterruptedException {
		long count = 0;
		LatencyHistogram e2e = new LatencyHistogram();
		LatencyHistogram transit = new LatencyHistogram();
		for (Stack.Region region : stack.regions()) {
			for (JsonNode window : get(region.aggregate().resolve("/windows?last=360")).get("windows")) {
				long start = java.time.Instant.parse(window.get("start").asText()).toEpochMilli();
				if (start >= from && start < to) {
					count += window.at("/total/count").asLong();
					e2e = e2e.merge(LatencyHistogram.of(sparse(window.at("/total/histogram"))));
					transit = transit.merge(LatencyHistogram.of(sparse(window.at("/total/transit_histogram"))));
				}
			}
		}
		return new Windows(count, e2e, transit);
	}

	/** Records in the broker topics that some Trigger's consumer group has not finished, summed over regions and Triggers. */
	static long brokerLag(Stack stack) throws IOException, InterruptedException {
		long lag = 0;
		for (Stack.Region region : stack.regions()) {
			for (JsonNode trigger : get(region.brokerStats()).get("triggers")) {
				lag += trigger.get("lag").asLong();
			}
		}
		return lag;
	}

	private static Map<Integer, Long> sparse(JsonNode histogram) {
		Map<Integer, Long> buckets = new HashMap<>();
		histogram.properties().forEach(e -> buckets.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
		return buckets;
	}

	private static JsonNode get(URI uri) throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException(uri + " answered " + response.statusCode() + ": " + response.body());
		}
		return JSON.readTree(response.body());
	}
}

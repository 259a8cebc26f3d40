package dev.globalevents.canary;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * Splits traffic with {@code kubectl patch ksvc <service> -n <namespace> --type merge -p {"spec":{"traffic":[…]}}}:
 * a JSON merge patch replaces the whole list, so what was there before does not linger.
 */
public final class KubectlTrafficSplitter implements TrafficSplitter {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String namespace;
	private final String service;
	private final Kubectl kubectl;

	public KubectlTrafficSplitter(String namespace, String service, Kubectl kubectl) {
		this.namespace = namespace;
		this.service = service;
		this.kubectl = kubectl;
	}

	@Override
	public void route(List<TrafficTarget> traffic) throws IOException {
		kubectl.run(command(traffic));
	}

	/** The kubectl arguments that set {@code traffic}. */
	List<String> command(List<TrafficTarget> traffic) {
		return List.of("patch", "ksvc", service, "-n", namespace, "--type", "merge", "-p", patch(traffic));
	}

	/** {@code {"spec":{"traffic":[…]}}}. */
	static String patch(List<TrafficTarget> traffic) {
		int total = traffic.stream().mapToInt(TrafficTarget::percent).sum();
		if (total != 100) {
			throw new IllegalArgumentException("traffic percentages total " + total + ", not 100: " + traffic);
		}
		return JSON.writeValueAsString(Map.of("spec", Map.of("traffic", traffic.stream().map(TrafficTarget::toSpec).toList())));
	}
}

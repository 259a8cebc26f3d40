package dev.globalevents.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How {@code make run} (and the end-to-end tests, through the same launcher) start the local stack, from the
 * command line ({@code <project root> [regions]}) and the environment:
 *
 * @param root          the project checkout (knative/, functions/*&#47;target, zuplo/)
 * @param state         where logs, data and {@code stack.json} go ({@code LOCAL_STATE}, default {@code .local/run})
 * @param regions       regions to run ({@code REGIONS} or the second argument, default all three)
 * @param traffic       generate's load ({@code LOCAL_TRAFFIC}): {@code steady} (the manifests' paced ticks),
 *                      {@code burst} (each tick's minute of events at once) or {@code off} (no generate-tick:
 *                      every event is the user's, as the end-to-end tests need)
 * @param dashboardPort the live page's port ({@code LOCAL_DASHBOARD_PORT}, default any free one)
 * @param gateway       whether to put the Zuplo gateway in front ({@code LOCAL_GATEWAY}, default on)
 * @param traceSampling the share of the gateway's requests whose trace is recorded in Zipkin ({@code LOCAL_TRACE_SAMPLING},
 *                      0..1, default 1: every request a user sends; a benchmark may lower it)
 * @param generatedTraceSampling the share of traces started inside the stack that are recorded: generate's synthetic
 *                      events, the functions' own reports, events posted to a broker without trace context
 *                      ({@code LOCAL_GENERATED_TRACE_SAMPLING}, 0..1, default 0.1: three regions' steady load traced
 *                      whole is about 900 spans/s, more than the local Zipkin can hold for long)
 * @param revisions     the Services that run behind a route of their own, so they can have several revisions and a
 *                      traffic split, and scale as their {@code autoscaling.knative.dev} annotations say
 *                      ({@code LOCAL_REVISIONS}: comma-separated names, e.g. {@code validate}; {@code scale-to-zero}
 *                      for every Service whose manifest says min-scale 0; {@code all}; default none), see
 *                      {@link #routed}. Every other Service is one process on its address, always on, without the
 *                      route's extra hop
 * @param scaleWindow   the stable window of those autoscalers ({@code LOCAL_SCALE_WINDOW}, e.g. {@code 10s}; default
 *                      none: each revision's {@code autoscaling.knative.dev/window}, else Knative's 60 s)
 * @param maxInstances  the most instances of one revision on this machine, whatever its max-scale
 *                      ({@code LOCAL_MAX_INSTANCES}, default the number of cores: a cluster's capacity)
 */
record StackOptions(Path root, Path state, List<String> regions, Traffic traffic, int dashboardPort, boolean gateway,
		double traceSampling, double generatedTraceSampling, Set<String> revisions, Duration scaleWindow, int maxInstances) {

	static final List<String> ALL_REGIONS = List.of("us-east", "eu-west", "ap-south");

	/** generate's load in the local stack. */
	enum Traffic {
		STEADY, BURST, OFF;

		String label() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	static StackOptions parse(String[] args, Map<String, String> env) {
		Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
		String regions = args.length > 1 && !args[1].isBlank() ? args[1] : env.getOrDefault("REGIONS", "");
		List<String> chosen = regions.isBlank() ? ALL_REGIONS : Arrays.stream(regions.split(",")).map(String::trim).toList();
		for (String region : chosen) {
			if (!ALL_REGIONS.contains(region)) {
				throw new IllegalArgumentException("unknown region " + region + " (REGIONS is a comma-separated subset of " + ALL_REGIONS + ")");
			}
		}
		String stateDir = env.getOrDefault("LOCAL_STATE", "");
		Path state = stateDir.isBlank() ? root.resolve(".local/run") : Path.of(stateDir).toAbsolutePath().normalize();
		Traffic traffic;
		try {
			traffic = Traffic.valueOf(env.getOrDefault("LOCAL_TRAFFIC", "steady").trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("LOCAL_TRAFFIC is steady, burst or off, not " + env.get("LOCAL_TRAFFIC"));
		}
		int port = Integer.parseInt(env.getOrDefault("LOCAL_DASHBOARD_PORT", "0"));
		boolean gateway = !"off".equalsIgnoreCase(env.getOrDefault("LOCAL_GATEWAY", "on"));
		double sampling = share(env, "LOCAL_TRACE_SAMPLING", "1");
		double generatedSampling = share(env, "LOCAL_GENERATED_TRACE_SAMPLING", "0.1");
		Set<String> revisions = Arrays.stream(env.getOrDefault("LOCAL_REVISIONS", "").split(",")).map(String::trim)
				.filter(name -> !name.isEmpty() && !name.equals("none")).collect(java.util.stream.Collectors.toUnmodifiableSet());
		String window = env.getOrDefault("LOCAL_SCALE_WINDOW", "").trim();
		Duration scaleWindow = window.isEmpty() ? null : Duration.ofSeconds(Long.parseLong(window.replaceAll("s$", "")));
		int maxInstances = Integer.parseInt(env.getOrDefault("LOCAL_MAX_INSTANCES", Integer.toString(Runtime.getRuntime().availableProcessors())));
		if (maxInstances < 1) {
			throw new IllegalArgumentException("LOCAL_MAX_INSTANCES is at least 1, not " + maxInstances);
		}
		return new StackOptions(root, state, chosen, traffic, port, gateway, sampling, generatedSampling, revisions, scaleWindow, maxInstances);
	}

	/** Whether a Service runs behind a route: named in LOCAL_REVISIONS, or {@code all}, or {@code scale-to-zero} and its min-scale is 0. */
	boolean routed(String service, int minScale) {
		return revisions.contains(service) || revisions.contains("all") || (minScale == 0 && revisions.contains("scale-to-zero"));
	}

	private static double share(Map<String, String> env, String name, String fallback) {
		double share = Double.parseDouble(env.getOrDefault(name, fallback));
		if (!(share >= 0 && share <= 1)) {
			throw new IllegalArgumentException(name + " is a share between 0 and 1, not " + share);
		}
		return share;
	}
}

package dev.globalevents.canary;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

/**
 * The command line (knative/canary/release-region.sh runs it; docs/release.md):
 *
 * <pre>
 * java -jar canary.jar analyze --prometheus URL --namespace NS --service SVC --stable REV --canary REV [settings]
 *     exit 0: promoted; 1: rolled back (100 % to stable); 2: wrong arguments; 3: failed (rolled back if it could)
 *     with --traffic-api URL instead of --namespace, the traffic is set by an HTTP PATCH of that Service resource
 *     (the local stack's /api/services/<region>/<service>) instead of kubectl
 * java -jar canary.jar pin --namespace NS --service SVC
 *     routes 100 % to the revision serving now, tagged stable, and prints its name: a new revision then gets 0 %
 * </pre>
 */
public final class CanaryMain {

	static final int PROMOTED = 0;
	static final int ROLLED_BACK = 1;
	static final int USAGE = 2;
	static final int FAILED = 3;

	/** Every setting of {@code analyze} with its default. */
	static final Map<String, String> DEFAULTS = Map.ofEntries(
			Map.entry("steps", "10,25,50,100"),
			Map.entry("interval", "2m"),
			Map.entry("warmup", "30s"),
			Map.entry("min-requests", "50"),
			Map.entry("max-error-ratio-increase", "0.01"),
			Map.entry("max-p99-ratio", "1.5"),
			Map.entry("max-holds", "2"),
			Map.entry("on-no-data", "rollback"),
			Map.entry("metric", MetricQueries.METRIC),
			Map.entry("revision-label", MetricQueries.REVISION_LABEL),
			Map.entry("status-label", MetricQueries.STATUS_LABEL),
			Map.entry("error-status", MetricQueries.ERROR_STATUS),
			Map.entry("uri-label", MetricQueries.URI_LABEL),
			Map.entry("exclude-uri", MetricQueries.EXCLUDE_URI),
			Map.entry("selector", ""));

	static final String USAGE_TEXT = """
			usage: canary analyze --prometheus URL (--namespace NS | --traffic-api URL) --service SVC --stable REV --canary REV
			                      [--steps 10,25,50,100] [--interval 2m] [--warmup 30s] [--min-requests 50]
			                      [--max-error-ratio-increase 0.01] [--max-p99-ratio 1.5] [--max-holds 2]
			                      [--on-no-data rollback|promote] [--metric http_server_requests_seconds]
			                      [--revision-label revision] [--status-label status] [--error-status '5..']
			                      [--uri-label uri] [--exclude-uri '/actuator.*|/healthz'] [--selector 'namespace="ns"']
			       canary pin --namespace NS --service SVC
			""";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private CanaryMain() {
	}

	public static void main(String[] arguments) {
		System.exit(run(List.of(arguments), Kubectl.onPath(), System.out, System.err, System.getenv()));
	}

	static int run(List<String> arguments, Kubectl kubectl, PrintStream out, PrintStream err, Map<String, String> environment) {
		if (arguments.isEmpty() || arguments.getFirst().equals("--help")) {
			err.print(USAGE_TEXT);
			return arguments.isEmpty() ? USAGE : PROMOTED;
		}
		try {
			return switch (arguments.getFirst()) {
				case "analyze" -> analyze(Options.parse(arguments.subList(1, arguments.size()), analyzeOptions()), kubectl, out, environment);
				case "pin" -> pin(Options.parse(arguments.subList(1, arguments.size()), Set.of("namespace", "service")), kubectl, out, err);
				default -> throw new IllegalArgumentException("unknown command " + arguments.getFirst());
			};
		}
		catch (IllegalArgumentException e) {
			err.println("canary: " + e.getMessage());
			err.print(USAGE_TEXT);
			return USAGE;
		}
	}

	private static Set<String> analyzeOptions() {
		Set<String> known = new java.util.HashSet<>(DEFAULTS.keySet());
		known.addAll(Set.of("prometheus", "namespace", "traffic-api", "service", "stable", "canary"));
		return known;
	}

	static RolloutSettings settings(Options options) {
		String onNoData = options.get("on-no-data", DEFAULTS.get("on-no-data"));
		if (!onNoData.equals("rollback") && !onNoData.equals("promote")) {
			throw new IllegalArgumentException("--on-no-data is rollback or promote, not " + onNoData);
		}
		Thresholds thresholds = new Thresholds(
				options.number("max-error-ratio-increase", Double.parseDouble(DEFAULTS.get("max-error-ratio-increase"))),
				options.number("max-p99-ratio", Double.parseDouble(DEFAULTS.get("max-p99-ratio"))),
				options.whole("min-requests", Long.parseLong(DEFAULTS.get("min-requests"))));
		return new RolloutSettings(options.percents("steps", DEFAULTS.get("steps")), options.duration("interval", DEFAULTS.get("interval")),
				thresholds, (int) options.whole("max-holds", Long.parseLong(DEFAULTS.get("max-holds"))), onNoData.equals("promote"),
				options.duration("warmup", DEFAULTS.get("warmup")));
	}

	static MetricQueries queries(Options options) {
		return new MetricQueries(options.get("metric", DEFAULTS.get("metric")), options.get("revision-label", DEFAULTS.get("revision-label")),
				options.get("status-label", DEFAULTS.get("status-label")), options.get("error-status", DEFAULTS.get("error-status")),
				options.get("uri-label", DEFAULTS.get("uri-label")), options.get("exclude-uri", DEFAULTS.get("exclude-uri")),
				options.get("selector", DEFAULTS.get("selector")));
	}

	private static int analyze(Options options, Kubectl kubectl, PrintStream out, Map<String, String> environment) {
		RolloutSettings settings = settings(options);
		MetricQueries queries = queries(options);
		String trafficApi = options.get("traffic-api", "");
		TrafficSplitter splitter = trafficApi.isBlank() ? new KubectlTrafficSplitter(options.required("namespace"), options.required("service"), kubectl)
				: new HttpTrafficSplitter(URI.create(trafficApi));
		String service = options.required("service");
		String stable = options.required("stable");
		String canary = options.required("canary");
		PrometheusClient prometheus = new PrometheusClient(URI.create(options.required("prometheus")), Duration.ofSeconds(30));
		out.println(service + ": stable " + stable + ", canary " + canary + "; steps " + settings.steps() + " every " + settings.interval()
				+ " after a warm-up of " + settings.warmup()
				+ "; requests queried as " + queries.requests(canary, settings.interval()));
		CanaryRollout rollout = new CanaryRollout(service, stable, canary, settings, MetricsSource.prometheus(prometheus, queries),
				splitter, Pacer.sleeping(Clock.systemUTC()), out::println);
		// a cancelled workflow stops the JVM: send the traffic back to stable on the way out, unless already settled
		Thread hook = new Thread(() -> {
			try {
				rollout.abort();
			}
			catch (IOException | RuntimeException e) {
				System.err.println(service + ": could not roll back on shutdown: " + e.getMessage());
			}
		});
		Runtime.getRuntime().addShutdownHook(hook);
		try {
			CanaryRollout.Outcome outcome = rollout.run();
			summarize(environment, service, stable, canary, outcome);
			if (!outcome.promoted()) {
				annotate(out, environment, service, "rolled back to " + stable + ": " + outcome.reason());
				return ROLLED_BACK;
			}
			return PROMOTED;
		}
		catch (IOException | RuntimeException e) {
			annotate(out, environment, service, "failed (traffic sent back to " + stable + " if kubectl could): " + e.getMessage());
			return FAILED;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return FAILED;
		}
	}

	private static int pin(Options options, Kubectl kubectl, PrintStream out, PrintStream err) {
		String namespace = options.required("namespace");
		String service = options.required("service");
		try {
			String json = kubectl.run(List.of("get", "ksvc", service, "-n", namespace, "-o", "json"));
			String stable = ServingRevision.of(JSON.readTree(json));
			new KubectlTrafficSplitter(namespace, service, kubectl).route(TrafficTarget.pinned(stable));
			out.println(stable);
			return PROMOTED;
		}
		catch (IOException | RuntimeException e) {
			err.println("canary pin " + service + ": " + e.getMessage());
			return FAILED;
		}
	}

	/** A GitHub Actions error annotation on a rollback or failure, a plain line elsewhere. */
	static void annotate(PrintStream out, Map<String, String> environment, String service, String message) {
		if ("true".equals(environment.get("GITHUB_ACTIONS"))) {
			out.println("::error title=canary " + escape(service) + "::" + escape(message));
		}
		else {
			out.println(service + ": " + message);
		}
	}

	/** Workflow command data: %, CR and LF escaped. */
	static String escape(String text) {
		return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
	}

	/** One Markdown table per Service in the job's summary ({@code GITHUB_STEP_SUMMARY}), written at once. */
	static void summarize(Map<String, String> environment, String service, String stable, String canary, CanaryRollout.Outcome outcome) {
		String file = environment.get("GITHUB_STEP_SUMMARY");
		if (file == null || file.isBlank()) {
			return;
		}
		StringBuilder table = new StringBuilder();
		table.append("### ").append(service).append(": ").append(outcome.promoted() ? "promoted " + canary : "rolled back to " + stable).append("\n\n");
		table.append(outcome.reason()).append("\n\n");
		if (!outcome.analyses().isEmpty()) {
			table.append("| step | canary requests | decision | why |\n| --- | --- | --- | --- |\n");
			for (CanaryRollout.Analysis analysis : outcome.analyses()) {
				table.append(String.format(Locale.ROOT, "| %d%% | %s | %s | %s |%n", analysis.percent(),
						analysis.canary() == null ? "?" : String.format(Locale.ROOT, "%.0f", analysis.canary().requests()), analysis.decision().verdict(),
						analysis.decision().reason().replace("|", "\\|")));
			}
		}
		table.append('\n');
		try {
			Files.writeString(Path.of(file), table, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException e) {
			System.err.println("could not write the step summary: " + e.getMessage());
		}
	}
}

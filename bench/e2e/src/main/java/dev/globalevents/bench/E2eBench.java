package dev.globalevents.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The end-to-end benchmark's client ({@code bench/e2e.sh} starts the stack and runs it): for each path (gateway →
 * broker → validate → broker → aggregate, and the same straight into the broker) and each fixed rate, one
 * {@link Step}; then, per path, the highest rate it keeps up with (×1.5 from the highest fixed rate kept up until one
 * is not, then up to three bisections), and the direct path at the gateway's highest rate, for the overhead. Prints a
 * table and the ratios the issue asks for, and appends the figures as JSON.
 * <p>
 * {@code java -jar bench-e2e.jar --stack .local/bench/stack.json --label "1 region" --rates 250,500,1000,2000
 * --duration 20 --warmup 60 --paths gateway,direct --max gateway,direct --validate-alone 8500 --out results.json}
 */
public final class E2eBench {

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		Stack stack = Stack.read(Path.of(options.get("stack")));
		List<Double> rates = Arrays.stream(options.getOrDefault("rates", "250,500,1000,2000").split(",")).map(Double::parseDouble).toList();
		Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "20")));
		List<String> paths = List.of(options.getOrDefault("paths", "gateway,direct").split(","));
		List<String> maxPaths = options.getOrDefault("max", "").isEmpty() ? List.of() : List.of(options.get("max").split(","));
		double validateAlone = Double.parseDouble(options.getOrDefault("validate-alone", "0"));
		String label = options.getOrDefault("label", stack.regions().size() + " region(s)");
		Step step = new Step(stack);

		// Five JVMs compile their hot paths on the same two cores: measured before this, the first minute's steps
		// missed rates that later ones kept up with. The warm-up climbs to its rate in three parts (each waits for the
		// broker to deliver the last): 600 ev/s at once overran the still cold functions (validate took 10-60 events/s
		// for the first 20 s), and the gateway's warm-up then ran on that backlog. The gateway's rate stays below its
		// single thread's limit.
		Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "60")));
		say("%s: warming up for %s per path (gateway up to 200 ev/s, direct up to 600 ev/s, over all regions; not reported)", label, warmup);
		for (String path : paths) { // three regions' processes share the same cores: 600 per region overran them
			double top = path.equals("gateway") ? 200 : 600;
			for (int part = 1; part <= 3; part++) {
				step.run(path, top * part / 3, warmup.dividedBy(3));
			}
		}
		say("%s: %s per step, every rate summed over %d region(s)", label, duration, stack.regions().size());
		say("%s", StepResult.header());
		List<StepResult> results = new ArrayList<>();
		for (String path : paths) {
			for (double rate : rates) {
				if (saturated(results, path)) { // queued answers alone would outlast the step many times over
					say("%-8s %7.0f skipped: the path took under 80%% of a lower rate", path, rate);
					continue;
				}
				results.add(print(step.run(path, rate, duration)));
			}
		}
		Map<String, Double> max = new LinkedHashMap<>();
		for (String path : maxPaths) {
			max.put(path, maximum(step, path, duration, results));
		}
		// the gateway's overhead where it keeps up: the direct path at the gateway's highest sustained rate too (compared
		// at a rate the gateway cannot carry, the overhead is its queue: seconds)
		double gatewayMax = max.getOrDefault("gateway", 0.0);
		if (paths.contains("direct") && gatewayMax > 0 && results.stream().noneMatch(r -> r.path().equals("direct") && r.asked() == gatewayMax)) {
			results.add(print(step.run("direct", gatewayMax, duration)));
		}
		new Report(label, validateAlone, results, max).print();
		if (options.containsKey("out")) {
			Map<String, Object> json = Map.of("label", label, "duration_s", duration.toSeconds(), "validate_alone_per_s", validateAlone,
					"steps", results, "max_sustained_per_s", max);
			Files.writeString(Path.of(options.get("out")), new ObjectMapper().writeValueAsString(json) + "\n",
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
	}

	/** The highest rate the path keeps up with: ×1.5 from the best fixed rate until one is not kept up, then up to three bisections. */
	private static double maximum(Step step, String path, Duration duration, List<StepResult> results) throws Exception {
		double good = results.stream().filter(r -> r.path().equals(path) && r.sustained()).mapToDouble(StepResult::asked).max().orElse(0);
		double bad = results.stream().filter(r -> r.path().equals(path) && !r.sustained()).mapToDouble(StepResult::asked).min().orElse(Double.NaN);
		for (int i = 0; i < 4 && Double.isNaN(bad); i++) {
			StepResult r = print(step.run(path, Math.round(good * 1.5), duration));
			results.add(r);
			if (r.sustained()) {
				good = r.asked();
			}
			else {
				bad = r.asked();
			}
		}
		for (int i = 0; i < 3 && !Double.isNaN(bad) && bad - good > Math.max(good * 0.1, 10); i++) { // up to three bisections
			StepResult r = print(step.run(path, Math.round((good + bad) / 2), duration));
			results.add(r);
			if (r.sustained()) {
				good = r.asked();
			}
			else {
				bad = r.asked();
			}
		}
		say("%s: kept up with at most %.0f ev/s", path, good);
		return good;
	}

	private static boolean saturated(List<StepResult> results, String path) {
		return results.stream().anyMatch(r -> r.path().equals(path) && r.achieved() < 0.8 * r.asked());
	}

	private static StepResult print(StepResult result) {
		say("%s", result.row());
		return result;
	}

	static void say(String format, Object... args) {
		System.out.println("[e2e] " + String.format(format, args));
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		return options;
	}
}

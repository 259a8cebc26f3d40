package dev.globalevents.canary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: its defaults, its refusals (exit 2), and `pin` against a recording kubectl. */
class CanaryMainTest {

	final ByteArrayOutputStream out = new ByteArrayOutputStream();
	final ByteArrayOutputStream err = new ByteArrayOutputStream();
	final List<List<String>> calls = new ArrayList<>();

	@Test
	void theDefaultsAreTheDocumentedSchedule() {
		RolloutSettings settings = CanaryMain.settings(Options.parse(List.of(), CanaryMain.DEFAULTS.keySet()));

		assertThat(settings.steps()).containsExactly(10, 25, 50, 100);
		assertThat(settings.interval()).isEqualTo(Duration.ofMinutes(2));
		assertThat(settings.warmup()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.thresholds()).isEqualTo(new Thresholds(0.01, 1.5, 50));
		assertThat(settings.maxHolds()).isEqualTo(2);
		assertThat(settings.promoteWithoutData()).isFalse();
		assertThat(CanaryMain.queries(Options.parse(List.of(), CanaryMain.DEFAULTS.keySet()))).isEqualTo(MetricQueries.defaults());
	}

	@Test
	void everySettingCanBeGiven() {
		Options options = Options.parse(List.of("--steps", "5%,20%,100%", "--interval=90s", "--warmup", "10s", "--min-requests", "10", "--max-error-ratio-increase", "0",
				"--max-p99-ratio", "2", "--max-holds", "0", "--on-no-data", "promote", "--revision-label", "knative_revision"), CanaryMain.DEFAULTS.keySet());

		RolloutSettings settings = CanaryMain.settings(options);

		assertThat(settings).isEqualTo(new RolloutSettings(List.of(5, 20, 100), Duration.ofSeconds(90), new Thresholds(0, 2, 10), 0, true,
				Duration.ofSeconds(10)));
		assertThat(CanaryMain.queries(options).revisionLabel()).isEqualTo("knative_revision");
	}

	@ParameterizedTest
	@CsvSource({ "2m,PT2M", "90s,PT1M30S", "1h,PT1H", "500ms,PT0.5S", "PT3M,PT3M" })
	void durations(String given, Duration expected) {
		assertThat(Options.parse(List.of("--interval", given), Set.of("interval")).duration("interval", "1m")).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"|usage: canary analyze",
			"deploy|unknown command deploy",
			"analyze --prometheus http://127.0.0.1:9 --namespace ns --service s --stable a|--canary is required",
			"analyze --colour red|unknown option --colour",
			"analyze --interval soon|--interval is not a duration such as 2m or 90s: soon",
			"analyze --steps 10,50,25|steps must rise within 1..100",
			"analyze --on-no-data shrug --prometheus http://127.0.0.1:9 --namespace ns --service s --stable a --canary b|--on-no-data is rollback or promote",
			"analyze --max-p99-ratio 0.5 --prometheus http://127.0.0.1:9 --namespace ns --service s --stable a --canary b|max p99 ratio must be 0 (off) or at least 1",
			"pin --namespace ns|--service is required",
			"pin --namespace|--namespace needs a value" })
	void wrongArgumentsExitWithUsage(String arguments, String message) {
		int exit = run(arguments == null ? List.of() : List.of(arguments.split(" ")), failingKubectl());

		assertThat(exit).isEqualTo(CanaryMain.USAGE);
		assertThat(text(err)).contains(message).contains("usage: canary analyze");
		assertThat(calls).isEmpty();
	}

	@Test
	void pinRoutesEverythingToTheServingRevisionAndPrintsIt() {
		Kubectl kubectl = arguments -> {
			calls.add(arguments);
			return arguments.getFirst().equals("get")
					? "{\"metadata\":{\"name\":\"aggregate\"},\"status\":{\"traffic\":[{\"latestRevision\":true,\"percent\":100,\"revisionName\":\"aggregate-00009\"}]}}"
					: "service.serving.knative.dev/aggregate patched";
		};

		int exit = run(List.of("pin", "--namespace", "globalevents-ap-south", "--service", "aggregate"), kubectl);

		assertThat(exit).isZero();
		assertThat(text(out)).isEqualTo("aggregate-00009\n");
		assertThat(calls).containsExactly(List.of("get", "ksvc", "aggregate", "-n", "globalevents-ap-south", "-o", "json"),
				List.of("patch", "ksvc", "aggregate", "-n", "globalevents-ap-south", "--type", "merge", "-p",
						"{\"spec\":{\"traffic\":[{\"revisionName\":\"aggregate-00009\",\"percent\":100,\"tag\":\"stable\"}]}}"));
	}

	@Test
	void pinFailsWhenKubectlDoes() {
		int exit = run(List.of("pin", "--namespace", "globalevents-ap-south", "--service", "aggregate"), failingKubectl());

		assertThat(exit).isEqualTo(CanaryMain.FAILED);
		assertThat(text(err)).contains("canary pin aggregate: kubectl: services.serving.knative.dev \"aggregate\" not found");
		assertThat(text(out)).isEmpty();
	}

	@Test
	void rollbacksBecomeErrorAnnotationsInGitHubActions() {
		PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);

		CanaryMain.annotate(stream, Map.of("GITHUB_ACTIONS", "true"), "validate", "rolled back to v1: 5xx 20.00 %\nsecond line");
		CanaryMain.annotate(stream, Map.of(), "validate", "rolled back to v1");

		assertThat(text(out)).isEqualTo("::error title=canary validate::rolled back to v1: 5xx 20.00 %25%0Asecond line\nvalidate: rolled back to v1\n");
	}

	int run(List<String> arguments, Kubectl kubectl) {
		return CanaryMain.run(arguments, kubectl, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
				Map.of());
	}

	Kubectl failingKubectl() {
		return arguments -> {
			calls.add(arguments);
			throw new IOException("kubectl: services.serving.knative.dev \"aggregate\" not found");
		};
	}

	static String text(ByteArrayOutputStream stream) {
		return stream.toString(StandardCharsets.UTF_8);
	}
}

package dev.globalevents.knative;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Prometheus rules ({@code knative/observability/prometheus/rules}) are valid and do what their unit tests say
 * ({@code promtool check rules}, {@code promtool test rules}); every alert has a severity, a summary, a description
 * and a runbook that exists, and is tested firing and quiet; every recording rule's value is checked; the ConfigMap
 * a cluster's Prometheus mounts carries the rule file as it is.
 */
class PrometheusRulesTest {

	static final Path PROMETHEUS = Rendered.KNATIVE.resolve("observability/prometheus");
	static final Path RULES = PROMETHEUS.resolve("rules");
	static final Path ROOT = Rendered.KNATIVE.getParent();
	static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

	@Test
	void promtoolFindsTheRulesValid() throws Exception {
		Promtool result = promtool(Stream.concat(Stream.of("check", "rules"), files(RULES, ".yml").stream().map(Path::toString)).toList());

		assertThat(result.exit()).as("promtool check rules:\n" + result.output()).isZero();
	}

	@Test
	void theRulesPassTheirUnitTests() throws Exception {
		List<Path> tests = files(RULES.resolve("tests"), ".test.yml");
		assertThat(tests).isNotEmpty();

		Promtool result = promtool(Stream.concat(Stream.of("test", "rules"), tests.stream().map(Path::toString)).toList());

		assertThat(result.exit()).as("promtool test rules:\n" + result.output()).isZero();
	}

	@Test
	void everyAlertHasASeverityASummaryAndARunbookThatExists() throws IOException {
		List<JsonNode> alerts = rules().stream().filter(r -> r.has("alert")).toList();
		assertThat(alerts).isNotEmpty();

		for (JsonNode alert : alerts) {
			String name = alert.get("alert").asText();
			assertThat(alert.at("/labels/severity").asText()).as(name + " severity").isIn("critical", "warning");
			assertThat(alert.at("/annotations/summary").asText()).as(name + " summary").isNotBlank();
			assertThat(alert.at("/annotations/description").asText()).as(name + " description").isNotBlank();
			String runbook = alert.at("/annotations/runbook_url").asText();
			assertThat(runbook).as(name + " runbook_url").isEqualTo("docs/runbooks/" + kebab(name) + ".md");
			assertThat(ROOT.resolve(runbook)).as(name + " runbook").isRegularFile();
		}
	}

	@Test
	void everyAlertIsTestedFiringAndQuiet() throws IOException {
		Set<String> firing = new TreeSet<>();
		Set<String> quiet = new TreeSet<>();
		for (JsonNode test : unitTests()) {
			for (JsonNode check : test.path("alert_rule_test")) {
				(check.path("exp_alerts").isEmpty() ? quiet : firing).add(check.get("alertname").asText());
			}
		}
		Set<String> alerts = new TreeSet<>(rules().stream().filter(r -> r.has("alert")).map(r -> r.get("alert").asText()).toList());

		assertThat(firing).as("alerts with a case where they fire").containsAll(alerts);
		assertThat(quiet).as("alerts with a case where they stay quiet").containsAll(alerts);
	}

	@Test
	void everyRecordingRulesValueIsChecked() throws IOException {
		List<String> checked = new ArrayList<>();
		for (JsonNode test : unitTests()) {
			test.path("promql_expr_test").forEach(check -> checked.add(check.get("expr").asText()));
		}

		for (JsonNode rule : rules()) {
			if (rule.has("record")) {
				String name = rule.get("record").asText();
				assertThat(checked).as("a promql_expr_test of " + name).anyMatch(expr -> expr.matches("(.*\\W)?" + Pattern.quote(name) + "(\\W.*)?"));
			}
		}
	}

	@Test
	void theConfigMapsCarryTheRuleFileAndTheConfigurationAsTheyAre() throws Exception {
		Assumptions.assumeTrue(Rendered.kubectlAvailable(), "kubectl is not installed: the rules' ConfigMap was not rendered");
		Process process = new ProcessBuilder("kubectl", "kustomize", PROMETHEUS.toString()).start();
		String rendered = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

		java.util.Map<String, JsonNode> configMaps = new java.util.TreeMap<>();
		for (JsonNode document : YAML.readerFor(JsonNode.class).<JsonNode>readValues(rendered).readAll()) {
			assertThat(document.get("kind").asText()).isEqualTo("ConfigMap");
			assertThat(document.at("/metadata/namespace").asText()).isEqualTo("observability");
			configMaps.put(document.at("/metadata/name").asText(), document);
		}
		assertThat(configMaps).containsOnlyKeys("prometheus-rules", "prometheus-config");
		for (Path file : files(RULES, ".yml")) {
			assertThat(configMaps.get("prometheus-rules").at("/data/" + file.getFileName()).asText()).as(file.toString()).isEqualTo(Files.readString(file));
		}
		assertThat(configMaps.get("prometheus-config").at("/data/prometheus.yml").asText()).isEqualTo(Files.readString(PROMETHEUS.resolve("prometheus.yml")));
	}

	/** Every rule of every group of every rule file. */
	static List<JsonNode> rules() throws IOException {
		List<JsonNode> rules = new ArrayList<>();
		for (Path file : files(RULES, ".yml")) {
			for (JsonNode group : YAML.readTree(file.toFile()).get("groups")) {
				group.get("rules").forEach(rules::add);
			}
		}
		return rules;
	}

	/** Every test of every unit test file. */
	static List<JsonNode> unitTests() throws IOException {
		List<JsonNode> tests = new ArrayList<>();
		for (Path file : files(RULES.resolve("tests"), ".test.yml")) {
			YAML.readTree(file.toFile()).get("tests").forEach(tests::add);
		}
		return tests;
	}

	static List<Path> files(Path dir, String suffix) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
		}
	}

	/** {@code EventErrorRateHigh} → {@code event-error-rate-high}. */
	static String kebab(String name) {
		return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	record Promtool(int exit, String output) {
	}

	/** Runs promtool; a machine without it fails the test (the rules must be checked), naming how to install it. */
	static Promtool promtool(List<String> arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("promtool"));
		command.addAll(arguments);
		Process process;
		try {
			process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
		}
		catch (IOException e) {
			return fail("promtool is not installed, so the Prometheus rules cannot be checked: `make tools` installs it "
					+ "(local/ensure-tools.sh, Debian package prometheus). " + e.getMessage());
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // until it exits
		return new Promtool(process.waitFor(), output);
	}
}

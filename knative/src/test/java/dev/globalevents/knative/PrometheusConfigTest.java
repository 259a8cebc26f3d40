package dev.globalevents.knative;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A region's Prometheus configuration ({@code knative/observability/prometheus/prometheus.yml}): valid for promtool,
 * and its functions scrape labels each series with the Knative revision under the name the canary analysis queries
 * ({@code revision}, knative/canary MetricQueries), keeps only the user container's port and leaves out the Services
 * that answer scrapes only with the gateway's key. Debian's Prometheus is built without Kubernetes discovery, so
 * promtool checks a copy whose discovery is a static target; the relabeling, rules and the rest are checked as written.
 */
class PrometheusConfigTest {

	static final Path CONFIG = PrometheusRulesTest.PROMETHEUS.resolve("prometheus.yml");

	@Test
	void promtoolFindsTheConfigurationValid(@TempDir Path dir) throws Exception {
		ObjectNode config = (ObjectNode) PrometheusRulesTest.YAML.readTree(CONFIG.toFile());
		for (JsonNode job : config.get("scrape_configs")) {
			ObjectNode scrape = (ObjectNode) job;
			assertThat(scrape.has("kubernetes_sd_configs")).as(scrape.get("job_name") + " discovers the pods").isTrue();
			scrape.remove("kubernetes_sd_configs");
			scrape.set("static_configs", PrometheusRulesTest.YAML.valueToTree(List.of(Map.of("targets", List.of("127.0.0.1:8080")))));
		}
		config.set("rule_files", PrometheusRulesTest.YAML.valueToTree(List.of(PrometheusRulesTest.RULES.resolve("*.yml").toString())));
		Path copy = dir.resolve("prometheus.yml");
		PrometheusRulesTest.YAML.writeValue(copy.toFile(), config);

		PrometheusRulesTest.Promtool result = PrometheusRulesTest.promtool(List.of("check", "config", copy.toString()));

		assertThat(result.exit()).as("promtool check config:\n" + result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS: 1 rule files found");
	}

	@Test
	void theFunctionsSeriesCarryTheRevisionTheCanaryComparesAndComeFromTheUserPortOnly() throws Exception {
		JsonNode functions = job("functions");
		List<String> relabelings = new ArrayList<>();
		functions.get("relabel_configs").forEach(r -> relabelings.add(r.path("source_labels").get(0).asText() + " " + r.path("regex").asText("(.*)")
				+ " " + r.path("action").asText("replace") + " " + r.path("target_label").asText("")));

		assertThat(functions.get("honor_labels").asBoolean()).as("the functions' own service and region tags win").isTrue();
		assertThat(relabelings).contains(
				"__meta_kubernetes_pod_label_serving_knative_dev_revision (.*) replace revision",
				"__meta_kubernetes_pod_container_port_name user-port keep ",
				"__meta_kubernetes_pod_label_serving_knative_dev_service edge|sync-relay drop ");
		assertThat(Files.readString(CONFIG)).contains("rule_files:\n  - /etc/prometheus/rules/*.yml");
	}

	private static JsonNode job(String name) throws Exception {
		for (JsonNode job : PrometheusRulesTest.YAML.readTree(CONFIG.toFile()).get("scrape_configs")) {
			if (job.get("job_name").asText().equals(name)) {
				return job;
			}
		}
		throw new AssertionError("no scrape job " + name + " in " + CONFIG);
	}
}

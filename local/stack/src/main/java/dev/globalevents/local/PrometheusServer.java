package dev.globalevents.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The local Prometheus: scrapes every function's {@code /actuator/prometheus} (labels region and service) and every
 * broker's {@code /metrics} (label region) every 5 s, and evaluates the same rule files a cluster's Prometheus mounts
 * ({@code knative/observability/prometheus/rules/*.yml}), so the recording rules and alerts run on the local stack's
 * real series. Its configuration, data and log stay in the state folder.
 */
final class PrometheusServer extends LocalProcess {

	static final String RULES = "knative/observability/prometheus/rules/*.yml";
	/**
	 * Services whose metrics Prometheus cannot read: the edge answers everything but {@code /healthz} only with the
	 * gateway's credential header ({@code x-edge-key}), which Prometheus 2.42 (Debian's) has no way to send.
	 */
	static final List<String> UNSCRAPED = List.of("edge");
	private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

	private final int port;

	private PrometheusServer(Path configuration, Path dir, Path log, int port) {
		super("prometheus", List.of("prometheus", "--config.file=" + configuration, "--storage.tsdb.path=" + dir.resolve("data"),
				"--web.listen-address=127.0.0.1:" + port), Map.of(), log, URI.create("http://127.0.0.1:" + port + "/-/ready"), true);
		this.port = port;
	}

	/** Writes {@code prometheus/prometheus.yml} into the state folder and starts Prometheus on it (ready later: {@link #ready()}). */
	static PrometheusServer start(Path root, Path state, List<FunctionProcess> functions, Map<String, BrokerProcess> brokers) {
		Path dir = state.resolve("prometheus");
		try {
			Files.createDirectories(dir);
			YAML.writeValue(dir.resolve("prometheus.yml").toFile(), configuration(root, functions, brokers));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return new PrometheusServer(dir.resolve("prometheus.yml"), dir, state.resolve("prometheus.log"), Infrastructure.freePort());
	}

	/** The configuration: one scrape job for the functions, one for the brokers, the repository's rule files. */
	static Map<String, Object> configuration(Path root, List<FunctionProcess> functions, Map<String, BrokerProcess> brokers) {
		List<Map<String, Object>> functionTargets = new ArrayList<>();
		for (FunctionProcess function : functions) {
			String[] regionAndName = function.label().split("/", 2);
			if (!UNSCRAPED.contains(regionAndName[1])) {
				functionTargets.add(target(function.url(), Map.of("region", regionAndName[0], "service", regionAndName[1])));
			}
		}
		List<Map<String, Object>> brokerTargets = new ArrayList<>();
		brokers.forEach((region, broker) -> brokerTargets.add(target(broker.address(), Map.of("region", region))));
		Map<String, Object> configuration = new LinkedHashMap<>();
		configuration.put("global", Map.of("scrape_interval", "5s", "evaluation_interval", "5s"));
		configuration.put("rule_files", List.of(root.resolve(RULES).toString()));
		configuration.put("scrape_configs", List.of(
				// the functions tag every series with region and service themselves (Micrometer's common tags): theirs
				// are kept, where Prometheus would otherwise rename them exported_region and exported_service
				Map.of("job_name", "functions", "metrics_path", "/actuator/prometheus", "honor_labels", true, "static_configs", functionTargets),
				Map.of("job_name", "brokers", "metrics_path", "/metrics", "static_configs", brokerTargets)));
		return configuration;
	}

	private static Map<String, Object> target(URI address, Map<String, String> labels) {
		return Map.of("targets", List.of(address.getHost() + ":" + address.getPort()), "labels", labels);
	}

	URI url() {
		return URI.create("http://127.0.0.1:" + port + "/");
	}

	@Override
	URI address() {
		return url();
	}
}

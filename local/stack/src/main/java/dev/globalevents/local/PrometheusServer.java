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
 * The local Prometheus: scrapes every function's {@code /actuator/prometheus} (labels region, service and revision) and every
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

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final String FUNCTION_TARGETS = "functions.json";

	private final int port;
	private final Path targets;

	private PrometheusServer(Path configuration, Path dir, Path log, int port) {
		super("prometheus", List.of("prometheus", "--config.file=" + configuration, "--storage.tsdb.path=" + dir.resolve("data"),
				"--web.listen-address=127.0.0.1:" + port), Map.of(), log, URI.create("http://127.0.0.1:" + port + "/-/ready"), true);
		this.port = port;
		this.targets = dir.resolve(FUNCTION_TARGETS);
	}

	/**
	 * Writes {@code prometheus/prometheus.yml} and the functions' targets ({@code prometheus/functions.json}) into the
	 * state folder and starts Prometheus on them (ready later: {@link #ready()}).
	 */
	static PrometheusServer start(Path root, Path state, List<FunctionProcess> functions, Map<String, BrokerProcess> brokers) {
		Path dir = state.resolve("prometheus");
		try {
			Files.createDirectories(dir);
			writeTargets(dir.resolve(FUNCTION_TARGETS), functions);
			YAML.writeValue(dir.resolve("prometheus.yml").toFile(), configuration(root, dir.resolve(FUNCTION_TARGETS), brokers));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return new PrometheusServer(dir.resolve("prometheus.yml"), dir, state.resolve("prometheus.log"), Infrastructure.freePort());
	}

	/** Rewrites the functions' targets (a new revision): Prometheus reads the file again within seconds. */
	void targets(List<FunctionProcess> functions) throws IOException {
		writeTargets(targets, functions);
	}

	/**
	 * The configuration: the functions from a file (labels region, service and revision, as a cluster's scrape
	 * relabels them from the pods' labels; docs/release.md), one scrape job for the brokers, the repository's rule files.
	 */
	static Map<String, Object> configuration(Path root, Path functionTargets, Map<String, BrokerProcess> brokers) {
		List<Map<String, Object>> brokerTargets = new ArrayList<>();
		brokers.forEach((region, broker) -> brokerTargets.add(target(broker.address(), Map.of("region", region))));
		Map<String, Object> configuration = new LinkedHashMap<>();
		configuration.put("global", Map.of("scrape_interval", "5s", "evaluation_interval", "5s"));
		configuration.put("rule_files", List.of(root.resolve(RULES).toString()));
		configuration.put("scrape_configs", List.of(
				// the functions tag every series with region and service themselves (Micrometer's common tags): theirs
				// are kept, where Prometheus would otherwise rename them exported_region and exported_service
				Map.of("job_name", "functions", "metrics_path", "/actuator/prometheus", "honor_labels", true,
						"file_sd_configs", List.of(Map.of("files", List.of(functionTargets.toString()), "refresh_interval", "5s"))),
				Map.of("job_name", "brokers", "metrics_path", "/metrics", "static_configs", brokerTargets)));
		return configuration;
	}

	private static void writeTargets(Path file, List<FunctionProcess> functions) throws IOException {
		List<Map<String, Object>> targets = new ArrayList<>();
		for (FunctionProcess function : functions) {
			if (!UNSCRAPED.contains(function.service()) && function.serving()) { // one scaled down is gone, as its pod
				targets.add(target(function.url(), Map.of("region", function.region(), "service", function.service(), "revision", function.revision())));
			}
		}
		Path partial = file.resolveSibling(file.getFileName() + ".partial");
		JSON.writeValue(partial.toFile(), targets);
		Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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

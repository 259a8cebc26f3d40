package dev.globalevents.knative;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;

/**
 * An overlay rendered by {@code kubectl kustomize} and parsed into the fabric8 Kubernetes and Knative model (and the
 * Strimzi model for {@code knative/kafka}).
 */
record Rendered(String overlay, String yaml, List<HasMetadata> resources) {

	static final Path KNATIVE = Path.of(System.getProperty("knative.dir", ".")).toAbsolutePath();
	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	static {
		// the Strimzi jar does not announce its kinds to fabric8: without this they would parse as generic resources
		SERIALIZATION.registerKubernetesResource(Kafka.class);
		SERIALIZATION.registerKubernetesResource(KafkaNodePool.class);
	}

	static boolean kubectlAvailable() {
		try {
			Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static Rendered of(String overlay) {
		return render(overlay, KNATIVE.resolve("overlays").resolve(overlay));
	}

	/** The base, without any overlay. */
	static Rendered base() {
		return render("base", KNATIVE.resolve("base"));
	}

	/** The Strimzi Kafka cluster of a region ({@code knative/kafka/overlays/<region>}). */
	static Rendered kafka(String region) {
		return render("kafka/" + region, KNATIVE.resolve("kafka").resolve("overlays").resolve(region));
	}

	private static Rendered render(String overlay, Path dir) {
		try {
			Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
			String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + errors);
			}
			List<HasMetadata> resources = new ArrayList<>();
			for (String document : yaml.split("(?m)^---$")) {
				if (!document.isBlank()) {
					resources.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
				}
			}
			return new Rendered(overlay, yaml, resources);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	<T extends HasMetadata> List<T> all(Class<T> type) {
		return resources.stream().filter(type::isInstance).map(type::cast).toList();
	}

	<T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
		return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
	}

	Map<String, String> configMap(String name) {
		return all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
				.map(ConfigMap::getData).orElseThrow(() -> new IllegalStateException("no ConfigMap " + name + " in " + overlay));
	}

	static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}

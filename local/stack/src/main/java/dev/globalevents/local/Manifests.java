package dev.globalevents.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.knative.serving.v1.Service;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** A region's manifests as {@code kubectl kustomize knative/overlays/<region>} renders them, parsed with fabric8. */
record Manifests(String region, List<HasMetadata> resources) {

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	static Manifests render(Path knative, String region) {
		Path overlay = knative.resolve("overlays").resolve(region);
		try {
			Process process = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).start();
			String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("kubectl kustomize " + overlay + " failed: " + errors);
			}
			List<HasMetadata> resources = new ArrayList<>();
			for (String document : yaml.split("(?m)^---$")) {
				if (!document.isBlank()) {
					resources.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
				}
			}
			return new Manifests(region, resources);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot run kubectl (install it: it renders knative/ for the local stack)", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	<T extends HasMetadata> List<T> all(Class<T> type) {
		return resources.stream().filter(type::isInstance).map(type::cast).toList();
	}

	List<Service> services() {
		return all(Service.class);
	}

	Map<String, String> configMap(String name) {
		return all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
				.map(ConfigMap::getData).orElseThrow(() -> new IllegalStateException("no ConfigMap " + name));
	}

	String namespace() {
		return resources.getFirst().getMetadata().getNamespace();
	}
}

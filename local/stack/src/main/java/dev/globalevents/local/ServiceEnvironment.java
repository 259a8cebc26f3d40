package dev.globalevents.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.knative.serving.v1.Service;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

/**
 * The environment a Knative Service's container gets in the cluster, for a local process: ConfigMaps
 * ({@code envFrom}), literal and Secret-referenced variables, mounted ConfigMap files (written under the state
 * folder, paths rewritten), and {@code K_SINK} where the SinkBinding selects the Service. Local substitutions, and
 * only these: Secrets (the Redis URL, the region's edge and sync credentials), a Service's cluster-local address
 * becomes its local URL, GATEWAY_URL the local gateway, export-metrics writes to ClickHouse instead of TrafficPeak,
 * spans go to the local Zipkin instead of the cluster's OTLP collector, and {@code extra} (the local stack's own switches, e.g. generate's tick mode).
 */
final class ServiceEnvironment {

	/** A Service's cluster-local address: {@code http://<name>} or {@code http://<name>.<namespace>.svc.cluster.local}. */
	private static final Pattern CLUSTER_LOCAL = Pattern.compile("http://([a-z0-9-]+)(\\.([a-z0-9-]+)\\.svc\\.cluster\\.local)?/?");

	static final String OTLP_TRACES = "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT";

	private final Manifests region;
	private final Path state;
	private final Map<String, String> secrets;
	private final int clickhousePort;
	private final URI brokerIngress;
	private final Map<String, URI> services;
	private final URI gateway;

	/**
	 * @param services this region's Knative Services by name, at their local URLs
	 * @param gateway  the local gateway, for GATEWAY_URL
	 */
	ServiceEnvironment(Manifests region, Path state, int redisPort, int clickhousePort, URI brokerIngress, RegionCredentials credentials,
			Map<String, URI> services, URI gateway) {
		this.region = region;
		this.state = state;
		this.secrets = Map.of("redis/url", "redis://127.0.0.1:" + redisPort, "edge-credentials/EDGE_KEY", credentials.edgeKey(),
				"sync-credentials/SYNC_KEY", credentials.syncKey());
		this.clickhousePort = clickhousePort;
		this.brokerIngress = brokerIngress;
		this.services = services;
		this.gateway = gateway;
	}

	Map<String, String> of(Service service, Map<String, String> extra) throws IOException {
		Container container = service.getSpec().getTemplate().getSpec().getContainers().getFirst();
		Map<String, String> env = new LinkedHashMap<>();
		for (EnvFromSource from : container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
			env.putAll(region.configMap(from.getConfigMapRef().getName()));
		}
		for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
			if (var.getValue() != null) {
				env.put(var.getName(), var.getValue());
			}
			else if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
				var ref = var.getValueFrom().getSecretKeyRef();
				String value = secrets.get(ref.getName() + "/" + ref.getKey());
				if (value != null) {
					env.put(var.getName(), value);
				}
			}
		}
		mountConfigFiles(service, container, env);
		if (SinkBinding.selects(service)) {
			env.put("K_SINK", brokerIngress.toString());
		}
		if ("trafficpeak".equals(env.get("EXPORT_SINK"))) {
			env.put("EXPORT_SINK", "clickhouse");
			env.put("CLICKHOUSE_URL", "http://127.0.0.1:" + clickhousePort + "/");
		}
		// traces go to the local Zipkin (the stack's switches in extra), not to the cluster's OpenTelemetry collector
		env.remove(OTLP_TRACES);
		if (env.containsKey("GATEWAY_URL")) {
			env.put("GATEWAY_URL", gateway.toString());
		}
		env.replaceAll((name, value) -> clusterLocal(value));
		env.put("HOSTNAME", region.region() + "-" + service.getMetadata().getName() + "-local");
		env.putAll(extra);
		return env;
	}

	/** A Service's cluster-local address ({@code http://aggregate}, {@code http://aggregate.<namespace>.svc.cluster.local}) as its local URL. */
	private String clusterLocal(String value) {
		Matcher address = CLUSTER_LOCAL.matcher(value);
		if (address.matches() && services.containsKey(address.group(1))
				&& (address.group(3) == null || address.group(3).equals(region.namespace()))) {
			return services.get(address.group(1)).toString();
		}
		return value;
	}

	private void mountConfigFiles(Service service, Container container, Map<String, String> env) throws IOException {
		List<Volume> volumes = service.getSpec().getTemplate().getSpec().getVolumes();
		for (VolumeMount mount : container.getVolumeMounts() == null ? List.<VolumeMount>of() : container.getVolumeMounts()) {
			Volume volume = volumes.stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
			Path dir = state.resolve(region.region() + "-" + service.getMetadata().getName() + "-" + mount.getName());
			Files.createDirectories(dir);
			for (var file : region.configMap(volume.getConfigMap().getName()).entrySet()) {
				Files.writeString(dir.resolve(file.getKey()), file.getValue());
			}
			env.replaceAll((k, v) -> v.startsWith(mount.getMountPath()) ? dir + v.substring(mount.getMountPath().length()) : v);
		}
	}
}

package dev.globalevents.knative;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.globalevents.events.Regions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-cluster observability ({@code knative/observability}) renders and hangs together: the collector's pipelines
 * connect its receivers to its exporters, and its Service is the address the functions (globalevents-config) and
 * Knative (Terraform's config-observability) send to; Knative samples parent-based (a rate strictly between 0 and 1)
 * at the functions' rate; Vector reads every region's namespace and takes its TrafficPeak credentials from a Secret
 * only, with a bounded disk buffer and least-privilege RBAC; images are pinned and every container has limits.
 */
class ObservabilityManifestsTest {

	static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
	static final String NAMESPACE = "observability";
	/** Where Knative's config-observability is set: the Knative Operator's custom resources. */
	static final Path PLATFORM_TF = Rendered.KNATIVE.getParent().resolve("terraform/modules/region/platform.tf");
	static final String OTLP_ENDPOINT = "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT";
	static final String SAMPLING = "MANAGEMENT_TRACING_SAMPLING_PROBABILITY";
	static final String LOGS_SECRET = "trafficpeak-logs";
	/** An image with an explicit version tag (not latest, not a moving major). */
	static final Pattern PINNED = Pattern.compile("^[a-z0-9./-]+:\\d+\\.\\d+\\.\\d+([.-][a-z0-9.-]+)?$");

	static Rendered observability;

	@BeforeAll
	static void render() {
		Assumptions.assumeTrue(Rendered.kubectlAvailable(),
				"kubectl is not installed: the observability manifests were not rendered or checked (install kubectl to check them)");
		observability = Rendered.of("../observability"); // knative/observability, beside the overlays
	}

	@Test
	void everyResourceParsesWithoutUnknownFieldsInTheObservabilityNamespaceAndNoSecretIsShipped() {
		List<HasMetadata> own = observability.resources().stream().filter(r -> !(r instanceof GenericKubernetesResource)).toList();

		assertThat(own).extracting(HasMetadata::getKind).contains("Deployment", "Service", "ConfigMap", "DaemonSet", "ServiceAccount",
				"ClusterRole", "ClusterRoleBinding");
		for (HasMetadata resource : own) {
			String name = resource.getKind() + "/" + resource.getMetadata().getName();
			assertThat(ManifestsTest.unknownFields(resource, name)).isEmpty();
			if (!(resource instanceof ClusterRole) && !(resource instanceof ClusterRoleBinding)) {
				assertThat(resource.getMetadata().getNamespace()).as(name).isEqualTo(NAMESPACE);
			}
		}
		assertThat(observability.all(Secret.class)).as("secrets are referenced, never shipped").isEmpty();
	}

	@Test
	void imagesArePinnedAndEveryContainerHasRequestsAndLimits() {
		List<PodSpec> pods = pods();

		assertThat(pods).hasSizeGreaterThanOrEqualTo(3);
		for (PodSpec pod : pods) {
			for (Container container : pod.getContainers()) {
				assertThat(container.getImage()).as(container.getName()).matches(PINNED).doesNotContain(":latest");
				assertThat(container.getResources().getLimits()).as(container.getName()).containsKeys("cpu", "memory");
				assertThat(container.getResources().getRequests()).as(container.getName()).containsKeys("cpu", "memory");
				assertThat(container.getLivenessProbe()).as(container.getName()).isNotNull();
			}
		}
	}

	@Test
	void theCollectorsPipelinesConnectItsReceiversToItsExportersAndItsServiceReachesThem() throws Exception {
		JsonNode config = collectorConfig();
		Set<String> used = new TreeSet<>();

		assertThat(config.at("/service/pipelines/traces/receivers").toString()).contains("\"otlp\"");
		for (var pipeline : config.at("/service/pipelines").properties()) {
			for (String stage : List.of("receivers", "processors", "exporters")) {
				for (JsonNode component : pipeline.getValue().path(stage)) {
					assertThat(config.path(stage).has(component.asText())).as(pipeline.getKey() + " uses undefined " + stage + " " + component).isTrue();
					used.add(stage + "/" + component.asText());
				}
			}
			assertThat(pipeline.getValue().path("receivers")).as(pipeline.getKey()).isNotEmpty();
			assertThat(pipeline.getValue().path("exporters")).as(pipeline.getKey()).isNotEmpty();
		}
		for (String stage : List.of("receivers", "exporters")) {
			config.path(stage).fieldNames().forEachRemaining(name -> assertThat(used).as(stage + " " + name + " is in no pipeline").contains(stage + "/" + name));
		}
		for (JsonNode extension : config.at("/service/extensions")) {
			assertThat(config.path("extensions").has(extension.asText())).as("extension " + extension).isTrue();
		}

		// the Service's OTLP ports lead to the container ports the receiver listens on
		Service service = observability.named(Service.class, "otel-collector").orElseThrow();
		Container collector = container(observability.named(Deployment.class, "otel-collector").orElseThrow().getSpec().getTemplate().getSpec());
		Map<String, Integer> listening = Map.of("otlp-grpc", port(config.at("/receivers/otlp/protocols/grpc/endpoint").asText()), "otlp-http",
				port(config.at("/receivers/otlp/protocols/http/endpoint").asText()));
		listening.forEach((name, port) -> {
			ServicePort servicePort = servicePort(service, name);
			assertThat(collector.getPorts()).as(name).anyMatch(p -> p.getName().equals(servicePort.getTargetPort().getStrVal()) && p.getContainerPort().equals(port));
		});
		assertThat(servicePort(service, "otlp-grpc").getPort()).isEqualTo(4317);
		assertThat(servicePort(service, "otlp-http").getPort()).isEqualTo(4318);
	}

	@Test
	void theCollectorExportsToTheZipkinServiceOfThisKustomization() throws Exception {
		JsonNode config = collectorConfig();
		Service zipkin = observability.named(Service.class, "zipkin").orElseThrow();

		assertThat(config.at("/exporters/zipkin/endpoint").asText())
				.isEqualTo(address(zipkin, servicePort(zipkin, "http")) + "/api/v2/spans");
	}

	@Test
	void theFunctionsAndKnativeSendTracesToTheCollectorsOtlpHttpPort() {
		Service collector = observability.named(Service.class, "otel-collector").orElseThrow();
		String endpoint = address(collector, servicePort(collector, "otlp-http")) + "/v1/traces";

		for (String region : Regions.all()) {
			assertThat(functionsConfig(Rendered.of(region))).as(region).containsEntry(OTLP_ENDPOINT, endpoint);
		}
		assertThat(knative("tracing-endpoint")).isEqualTo(endpoint);
		assertThat(knative("tracing-protocol")).as("OTLP over HTTP, the port above").isEqualTo("http/protobuf");
	}

	@Test
	void knativeSamplesParentBasedAtTheFunctionsRate() {
		// 0 or unset: NeverSample (Knative clears the gateway's sampled flag, the functions drop the trace);
		// >= 1: AlwaysSample; only a rate strictly between 0 and 1 is ParentBased and keeps the caller's decision
		double knative = Double.parseDouble(knative("tracing-sampling-rate"));

		assertThat(knative).isGreaterThan(0).isLessThan(1);
		for (String region : Regions.all()) {
			assertThat(Double.parseDouble(functionsConfig(Rendered.of(region)).get(SAMPLING))).as(region).isEqualTo(knative);
		}
		String platform = Rendered.read(PLATFORM_TF);
		assertThat(Pattern.compile("observability\\s*=\\s*local\\.knative_observability").matcher(platform).results().count())
				.as("KnativeServing and KnativeEventing both get spec.config.observability").isEqualTo(2);
	}

	@Test
	void vectorReadsEveryRegionsNamespaceIntoTheTrafficPeakSink() throws Exception {
		JsonNode config = vectorConfig();
		Matcher selector = Pattern.compile("^kubernetes\\.io/metadata\\.name in \\(([^)]*)\\)$")
				.matcher(config.at("/sources/pipeline_logs/extra_namespace_label_selector").asText());

		assertThat(config.at("/sources/pipeline_logs/type").asText()).isEqualTo("kubernetes_logs");
		assertThat(selector.matches()).as("a namespace set selector").isTrue();
		Set<String> selected = Set.of(selector.group(1).split("\\s*,\\s*"));
		for (String region : Regions.all()) {
			Set<String> namespaces = Rendered.of(region).resources().stream().map(r -> r.getMetadata().getNamespace())
					.collect(Collectors.toSet());
			assertThat(selected).as(region).containsAll(namespaces);
		}
		// source -> remap -> TrafficPeak
		assertThat(config.at("/transforms/logs/type").asText()).isEqualTo("remap");
		assertThat(config.at("/transforms/logs/inputs").toString()).isEqualTo("[\"pipeline_logs\"]");
		JsonNode sink = config.at("/sinks/trafficpeak");
		assertThat(sink.path("type").asText()).isEqualTo("http");
		assertThat(sink.path("inputs").toString()).isEqualTo("[\"logs\"]");
		assertThat(sink.path("uri").asText()).endsWith("/ingest/event");
		assertThat(sink.at("/request/headers/x-hdx-table").asText()).isEqualTo("globalevents.logs");
		assertThat(sink.at("/request/headers/x-hdx-transform").asText()).isNotBlank();
	}

	@Test
	void vectorTakesItsTrafficPeakCredentialsFromTheSecretOnly() throws Exception {
		JsonNode sink = vectorConfig().at("/sinks/trafficpeak");
		Container vector = container(observability.named(DaemonSet.class, "vector").orElseThrow().getSpec().getTemplate().getSpec());

		assertThat(sink.at("/auth/strategy").asText()).isEqualTo("bearer");
		List<String> references = new ArrayList<>();
		for (String value : List.of(sink.at("/auth/token").asText(), sink.path("uri").asText())) {
			Matcher reference = Pattern.compile("^\\$\\{([A-Z_]+)}").matcher(value);
			assertThat(reference.find()).as(value + " is an environment reference, not a value").isTrue();
			references.add(reference.group(1));
		}
		assertThat(sink.at("/auth/token").asText()).as("nothing but the reference").matches("^\\$\\{[A-Z_]+}$");
		for (String variable : references) {
			EnvVar env = vector.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst().orElseThrow();
			assertThat(env.getValue()).as(variable).isNull();
			assertThat(env.getValueFrom().getSecretKeyRef().getName()).as(variable).isEqualTo(LOGS_SECRET);
		}
		assertThat(Rendered.read(Rendered.KNATIVE.resolve("observability/vector-config.yaml"))).as("no literal credential in the config")
				.doesNotContainPattern("(?i)(token|password)\\s*:\\s*[\"']?[A-Za-z0-9+/=_.-]{12,}");
	}

	@Test
	void vectorBuffersOnDiskBoundedAndAcknowledgesOnlyBufferedLines() throws Exception {
		JsonNode sink = vectorConfig().at("/sinks/trafficpeak");
		PodSpec pod = observability.named(DaemonSet.class, "vector").orElseThrow().getSpec().getTemplate().getSpec();
		String dataDir = vectorConfig().path("data_dir").asText();

		assertThat(sink.at("/buffer/type").asText()).isEqualTo("disk");
		assertThat(sink.at("/buffer/max_size").asLong()).as("bounded").isBetween(256L << 20, 16L << 30);
		assertThat(sink.at("/buffer/when_full").asText()).isEqualTo("block");
		assertThat(sink.at("/acknowledgements/enabled").asBoolean()).isTrue();
		// the buffer is on the node, so it outlives the pod
		String volume = container(pod).getVolumeMounts().stream().filter(m -> m.getMountPath().equals(dataDir)).findFirst().orElseThrow().getName();
		Volume data = pod.getVolumes().stream().filter(v -> v.getName().equals(volume)).findFirst().orElseThrow();
		assertThat(data.getHostPath()).as("data_dir " + dataDir + " on a hostPath").isNotNull();
	}

	@Test
	void vectorMayOnlyListAndWatchPodsNamespacesAndNodes() {
		DaemonSet vector = observability.named(DaemonSet.class, "vector").orElseThrow();
		ClusterRoleBinding binding = observability.all(ClusterRoleBinding.class).stream()
				.filter(b -> b.getSubjects().stream().anyMatch(s -> s.getName().equals(vector.getSpec().getTemplate().getSpec().getServiceAccountName())))
				.findFirst().orElseThrow();
		ClusterRole role = observability.named(ClusterRole.class, binding.getRoleRef().getName()).orElseThrow();

		assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
			assertThat(s.getKind()).isEqualTo("ServiceAccount");
			assertThat(s.getNamespace()).isEqualTo(vector.getMetadata().getNamespace());
		});
		for (PolicyRule rule : role.getRules()) {
			assertThat(rule.getApiGroups()).containsExactly("");
			assertThat(rule.getResources()).isSubsetOf("pods", "namespaces", "nodes");
			assertThat(rule.getVerbs()).isSubsetOf("list", "watch");
		}
		assertThat(container(vector.getSpec().getTemplate().getSpec()).getVolumeMounts()).filteredOn(m -> m.getMountPath().startsWith("/var/log"))
				.allMatch(m -> Boolean.TRUE.equals(m.getReadOnly()));
	}

	// ---- helpers ------------------------------------------------------------------------------------------------

	List<PodSpec> pods() {
		List<PodSpec> pods = new ArrayList<>();
		observability.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
		observability.all(DaemonSet.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
		return pods;
	}

	static Container container(PodSpec pod) {
		assertThat(pod.getContainers()).hasSize(1);
		return pod.getContainers().getFirst();
	}

	/** The file a pod mounts from a (generated, hashed) ConfigMap, parsed as YAML. */
	static JsonNode mountedConfig(PodSpec pod, String key) throws Exception {
		for (Volume volume : pod.getVolumes()) {
			if (volume.getConfigMap() != null) {
				String text = observability.configMap(volume.getConfigMap().getName()).get(key);
				if (text != null) {
					return YAML.readTree(text);
				}
			}
		}
		throw new IllegalStateException("no ConfigMap with " + key);
	}

	static JsonNode collectorConfig() throws Exception {
		return mountedConfig(observability.named(Deployment.class, "otel-collector").orElseThrow().getSpec().getTemplate().getSpec(), "config.yaml");
	}

	static JsonNode vectorConfig() throws Exception {
		return mountedConfig(observability.named(DaemonSet.class, "vector").orElseThrow().getSpec().getTemplate().getSpec(), "vector.yaml");
	}

	static ServicePort servicePort(Service service, String name) {
		return service.getSpec().getPorts().stream().filter(p -> p.getName().equals(name)).findFirst()
				.orElseThrow(() -> new AssertionError(service.getMetadata().getName() + " has no port " + name));
	}

	static String address(Service service, ServicePort port) {
		return "http://" + service.getMetadata().getName() + "." + service.getMetadata().getNamespace() + ".svc.cluster.local:" + port.getPort();
	}

	static int port(String endpoint) {
		return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
	}

	/** The functions' globalevents-config of a region (generated, so found by the name's start). */
	static Map<String, String> functionsConfig(Rendered region) {
		return region.all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().startsWith("globalevents-config")).findFirst()
				.orElseThrow().getData();
	}

	/** A key of Knative's config-observability as Terraform sets it (platform.tf, local.knative_observability). */
	static String knative(String key) {
		Matcher value = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*=\\s*\"([^\"]*)\"").matcher(Rendered.read(PLATFORM_TF));
		assertThat(value.find()).as(key + " in " + PLATFORM_TF).isTrue();
		return value.group(1);
	}
}

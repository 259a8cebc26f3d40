package dev.globalevents.knative;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Regions;
import dev.globalevents.local.broker.Filters;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.serving.v1beta1.DomainMapping;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.knative.sources.v1.SinkBinding;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every overlay renders with {@code kubectl kustomize} and parses into the fabric8 Knative model with no unknown
 * field; the wiring invariants hold (subscribers exist, every stage's output is routed, no reply loops, every
 * Knative Service has probes, limits and its region, the same names in every region, no secret values).
 */
class ManifestsTest {

	/** What each function publishes back to the broker as a reply (the others answer 200 with no body). */
	static final Map<String, List<String>> REPLIES = Map.of("validate", List.of(CloudEventTypes.EVENT_VALIDATED));

	/** What the functions send to K_SINK (the broker), by type. */
	static final List<String> OUTPUTS = List.of("order.created", CloudEventTypes.EVENT_VALIDATED,
			CloudEventTypes.METRICS_WINDOW, CloudEventTypes.METRICS_SAMPLE, CloudEventTypes.SYNC_SUMMARY);

	@BeforeAll
	static void kubectl() {
		Assumptions.assumeTrue(Rendered.kubectlAvailable(),
				"kubectl is not installed: the Knative manifests were not rendered or checked (install kubectl to check them)");
	}

	static List<String> regions() {
		return Regions.all();
	}

	@ParameterizedTest
	@MethodSource("regions")
	void everyResourceParsesIntoTheKnativeModelWithoutUnknownFields(String region) {
		Rendered rendered = Rendered.of(region);

		assertThat(rendered.resources()).isNotEmpty().noneMatch(r -> r instanceof GenericKubernetesResource);
		for (HasMetadata resource : rendered.resources()) {
			assertThat(unknownFields(resource, resource.getKind() + "/" + resource.getMetadata().getName())).isEmpty();
		}
		assertThat(rendered.all(Secret.class)).as("secrets are referenced, never shipped").isEmpty();
	}

	@ParameterizedTest
	@MethodSource("regions")
	void everyReferenceResolvesAndEveryOutputIsRouted(String region) {
		Rendered rendered = Rendered.of(region);
		Set<String> services = rendered.all(Service.class).stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
		Set<String> brokers = rendered.all(Broker.class).stream().map(b -> b.getMetadata().getName()).collect(Collectors.toSet());

		for (Trigger trigger : rendered.all(Trigger.class)) {
			assertThat(brokers).as(trigger.getMetadata().getName()).contains(trigger.getSpec().getBroker());
			var subscriber = trigger.getSpec().getSubscriber();
			if (subscriber.getRef() != null) {
				assertThat(services).as(trigger.getMetadata().getName()).contains(subscriber.getRef().getName());
			}
			else {
				assertThat(subscriber.getUri()).as(trigger.getMetadata().getName()).startsWith("https://");
			}
			assertThat(trigger.getSpec().getDelivery()).as(trigger.getMetadata().getName() + " delivery").isNotNull();
			assertThat(services).contains(trigger.getSpec().getDelivery().getDeadLetterSink().getRef().getName());
		}
		rendered.all(Broker.class).forEach(b -> assertThat(services).contains(b.getSpec().getDelivery().getDeadLetterSink().getRef().getName()));
		rendered.all(PingSource.class).forEach(p -> assertThat(services).contains(p.getSpec().getSink().getRef().getName()));
		rendered.all(SinkBinding.class).forEach(s -> assertThat(brokers).contains(s.getSpec().getSink().getRef().getName()));
		for (String type : OUTPUTS) {
			Map<String, String> event = Map.of("type", type, "region", region);
			assertThat(rendered.all(Trigger.class)).as("a Trigger for " + type).anyMatch(t -> Filters.matches(t, event));
		}
	}

	@ParameterizedTest
	@MethodSource("regions")
	void noFunctionsReplyCanMatchItsOwnTrigger(String region) {
		Rendered rendered = Rendered.of(region);

		for (Trigger trigger : rendered.all(Trigger.class)) {
			if (trigger.getSpec().getSubscriber().getRef() == null) {
				continue;
			}
			String subscriber = trigger.getSpec().getSubscriber().getRef().getName();
			for (String reply : REPLIES.getOrDefault(subscriber, List.of())) {
				assertThat(Filters.matches(trigger, Map.of("type", reply, "region", region)))
						.as(subscriber + "'s reply " + reply + " must not match " + trigger.getMetadata().getName()).isFalse();
			}
		}
		assertThat(rendered.named(Trigger.class, "validate-incoming").orElseThrow())
				.matches(t -> Filters.matches(t, Map.of("type", "order.created")))
				.matches(t -> !Filters.matches(t, Map.of("type", CloudEventTypes.METRICS_SAMPLE)))
				.matches(t -> !Filters.matches(t, Map.of("type", "dev.knative.sources.ping")));
	}

	@ParameterizedTest
	@MethodSource("regions")
	void everyKnativeServiceHasProbesLimitsScaleAndItsRegion(String region) {
		Rendered rendered = Rendered.of(region);

		assertThat(rendered.all(Service.class)).hasSize(7);
		for (Service service : rendered.all(Service.class)) {
			String name = service.getMetadata().getName();
			Map<String, String> annotations = service.getSpec().getTemplate().getMetadata().getAnnotations();
			assertThat(annotations).as(name).containsKeys("autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/max-scale",
					"autoscaling.knative.dev/target");
			assertThat(service.getMetadata().getLabels()).as(name).containsEntry("globalevents.dev/region", region);
			Container container = service.getSpec().getTemplate().getSpec().getContainers().getFirst();
			// the edge answers only the gateway (x-edge-key), /healthz alone is open: its probes use that
			String probe = name.equals("edge") ? "/healthz" : "/actuator/health/readiness";
			assertThat(container.getReadinessProbe().getHttpGet().getPath()).as(name).isEqualTo(probe);
			assertThat(container.getLivenessProbe().getHttpGet().getPath()).as(name).isEqualTo(name.equals("edge") ? "/healthz" : "/actuator/health/liveness");
			assertThat(container.getResources().getLimits()).as(name).containsKeys("cpu", "memory");
			assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
			String configMap = container.getEnvFrom().getFirst().getConfigMapRef().getName();
			assertThat(rendered.configMap(configMap)).as(name).containsEntry("REGION", region);
			if (!container.getImage().contains("/edge:")) { // the edge and the relay keep no state
				assertThat(container.getEnv()).as(name).anyMatch(e -> e.getName().equals("REDIS_URL")
						&& e.getValueFrom().getSecretKeyRef().getName().equals("redis"));
			}
		}
	}

	@ParameterizedTest
	@MethodSource("regions")
	void theEdgeIsTheOnlyPublicEntryMappedToTheRegionsHostAndHoldsTheOnlyCredentialsFromOutside(String region) {
		Rendered rendered = Rendered.of(region);

		assertThat(rendered.all(Service.class)).filteredOn(s -> !"cluster-local".equals(s.getMetadata().getLabels().get("networking.knative.dev/visibility")))
				.extracting(s -> s.getMetadata().getName()).containsExactly("edge");
		assertThat(rendered.all(DomainMapping.class)).singleElement().satisfies(mapping -> {
			assertThat(mapping.getMetadata().getName()).isEqualTo("edge." + region + ".globalevents.example");
			assertThat(mapping.getSpec().getRef().getName()).isEqualTo("edge");
		});
		Container edge = rendered.named(Service.class, "edge").orElseThrow().getSpec().getTemplate().getSpec().getContainers().getFirst();
		assertThat(edge.getEnv()).anyMatch(e -> e.getName().equals("EDGE_ROLE") && "edge".equals(e.getValue()))
				.anyMatch(e -> e.getName().equals("EDGE_KEY") && e.getValueFrom().getSecretKeyRef().getName().equals("edge-credentials"));
		Container relay = rendered.named(Service.class, "sync-relay").orElseThrow().getSpec().getTemplate().getSpec().getContainers().getFirst();
		assertThat(relay.getImage()).isEqualTo(edge.getImage());
		assertThat(relay.getEnv()).anyMatch(e -> e.getName().equals("EDGE_ROLE") && "relay".equals(e.getValue()))
				.anyMatch(e -> e.getName().equals("SYNC_KEY") && e.getValueFrom().getSecretKeyRef().getName().equals("sync-credentials"));
		assertThat(rendered.configMap(relay.getEnvFrom().getFirst().getConfigMapRef().getName())).containsKey("GATEWAY_URL");
	}

	@Test
	void everyRegionHasTheSameResourcesAndSyncsToEachPeer() {
		Map<String, Set<String>> names = new java.util.TreeMap<>();
		for (String region : regions()) {
			Rendered rendered = Rendered.of(region);
			names.put(region, rendered.resources().stream().filter(r -> !r.getMetadata().getName().startsWith("sync-to-"))
					.map(r -> r.getKind() + "/" + r.getMetadata().getName().replaceAll("-[a-z0-9]{10}$", "").replace(region, "<region>"))
					.collect(Collectors.toCollection(TreeSet::new)));
			List<String> peers = regions().stream().filter(r -> !r.equals(region)).map(r -> "sync-to-" + r).toList();
			assertThat(rendered.all(Trigger.class)).extracting(t -> t.getMetadata().getName())
					.filteredOn(n -> n.startsWith("sync-to-")).containsExactlyInAnyOrderElementsOf(peers);
			for (Trigger sync : rendered.all(Trigger.class).stream().filter(t -> t.getMetadata().getName().startsWith("sync-to-")).toList()) {
				String target = sync.getMetadata().getName().substring("sync-to-".length());
				assertThat(sync.getSpec().getSubscriber().getRef().getName()).isEqualTo("sync-relay");
				assertThat(sync.getSpec().getSubscriber().getUri()).isEqualTo("/v1/regions/" + target + "/sync");
				assertThat(Filters.matches(sync, Map.of("type", CloudEventTypes.SYNC_SUMMARY, "region", region))).isTrue();
				assertThat(regions()).filteredOn(peer -> !peer.equals(region)).allMatch(peer ->
						!Filters.matches(sync, Map.of("type", CloudEventTypes.SYNC_SUMMARY, "region", peer)));
			}
			rendered.all(HasMetadata.class).forEach(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo("globalevents-" + region));
		}
		assertThat(names.values().stream().distinct()).hasSize(1);
	}

	@Test
	void theCanarySplitsValidateByRevisionWithTags() {
		Rendered canary = Rendered.of("canary");

		var traffic = canary.named(Service.class, "validate").orElseThrow().getSpec().getTraffic();
		assertThat(traffic).extracting(t -> t.getTag()).containsExactly("stable", "canary");
		assertThat(traffic.stream().mapToLong(t -> t.getPercent()).sum()).isEqualTo(100);
	}

	/** Paths of fields the model did not recognize (fabric8 and Strimzi keep them in additionalProperties). */
	static List<String> unknownFields(Object object, String path) {
		List<String> unknown = new ArrayList<>();
		String model = object == null ? "" : object.getClass().getPackageName();
		if (!model.startsWith("io.fabric8") && !model.startsWith("io.strimzi")) {
			return unknown;
		}
		for (Method method : object.getClass().getMethods()) {
			if (method.getParameterCount() != 0 || !method.getName().startsWith("get") || method.getName().equals("getClass")) {
				continue;
			}
			Object value;
			try {
				value = method.invoke(object);
			}
			catch (ReflectiveOperationException e) {
				continue;
			}
			if (method.getName().equals("getAdditionalProperties")) {
				if (value instanceof Map<?, ?> map && !map.isEmpty()) {
					unknown.add(path + ": " + map.keySet());
				}
			}
			else if (value instanceof Collection<?> items) {
				int i = 0;
				for (Object item : items) {
					unknown.addAll(unknownFields(item, path + "." + method.getName().substring(3) + "[" + i++ + "]"));
				}
			}
			else if (value instanceof Map<?, ?> map) {
				map.forEach((k, v) -> unknown.addAll(unknownFields(v, path + "." + k)));
			}
			else {
				unknown.addAll(unknownFields(value, path + "." + method.getName().substring(3)));
			}
		}
		return unknown;
	}
}

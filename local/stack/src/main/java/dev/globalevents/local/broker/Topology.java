package dev.globalevents.local.broker;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.fabric8.knative.duck.v1.Destination;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The local control plane: builds a broker's {@link BrokerContract} from rendered manifests, as Knative's Kafka
 * controller does — the Broker (class {@code Kafka}) and its config ConfigMap (partitions, replication factor,
 * {@code default.topic.config.*}), its Triggers in manifest order, each Trigger's delivery (which replaces the
 * Broker's) and delivery order, and subscribers resolved to local URLs: a Knative Service by name through
 * {@code serviceUrl} (plus the Destination's {@code uri} path, if any), a URI through {@code uriMapping} (for example
 * a peer region's gateway route to that region's local broker; a Trigger whose subscriber maps to null is left out).
 * The replication factor and {@code min.insync.replicas} are capped at the number of Kafka nodes.
 */
public final class Topology {

	public static final String BROKER_CLASS = "eventing.knative.dev/broker.class";
	private static final System.Logger log = System.getLogger("broker");

	private Topology() {
	}

	public static BrokerContract contract(List<HasMetadata> resources, String brokerName, Function<String, URI> serviceUrl,
			Function<URI, URI> uriMapping, int port, String bootstrapServers, int kafkaNodes) {
		Broker broker = resources.stream().filter(Broker.class::isInstance).map(Broker.class::cast)
				.filter(b -> b.getMetadata().getName().equals(brokerName)).findFirst()
				.orElseThrow(() -> new IllegalArgumentException("no Broker " + brokerName + " in the manifests"));
		String brokerClass = broker.getMetadata().getAnnotations() == null ? null : broker.getMetadata().getAnnotations().get(BROKER_CLASS);
		if (!"Kafka".equals(brokerClass)) {
			throw new IllegalArgumentException("Broker " + brokerName + " has class " + brokerClass + "; the local broker is the Kafka broker (" + BROKER_CLASS + ": Kafka)");
		}
		Map<String, String> config = config(resources, broker);
		Function<Destination, URI> resolve = destination -> destination.getRef() != null
				? withPath(serviceUrl.apply(destination.getRef().getName()), destination.getUri())
				: uriMapping.apply(URI.create(destination.getUri()));
		Delivery brokerDelivery = Delivery.of(broker.getSpec().getDelivery(), resolve);
		List<Route> routes = new ArrayList<>();
		for (HasMetadata resource : resources) {
			if (resource instanceof Trigger trigger && brokerName.equals(trigger.getSpec().getBroker())) {
				Delivery delivery = trigger.getSpec().getDelivery() == null ? brokerDelivery
						: Delivery.of(trigger.getSpec().getDelivery(), resolve);
				URI subscriber = resolve.apply(trigger.getSpec().getSubscriber());
				if (subscriber == null) {
					log.log(System.Logger.Level.INFO, "trigger " + trigger.getMetadata().getName() + " left out: its subscriber "
							+ trigger.getSpec().getSubscriber().getUri() + " is not running locally");
					continue;
				}
				Map<String, String> annotations = trigger.getMetadata().getAnnotations();
				boolean ordered = annotations != null && "ordered".equals(annotations.get(Route.DELIVERY_ORDER));
				routes.add(new Route(trigger.getMetadata().getName(), trigger, subscriber, delivery, ordered));
			}
		}
		String namespace = broker.getMetadata().getNamespace() == null ? "default" : broker.getMetadata().getNamespace();
		short replication = (short) Math.min(Integer.parseInt(config.getOrDefault("default.topic.replication.factor", "1")), kafkaNodes);
		Map<String, String> topicConfig = new LinkedHashMap<>();
		config.forEach((key, value) -> {
			if (key.startsWith("default.topic.config.")) {
				topicConfig.put(key.substring("default.topic.config.".length()), value);
			}
		});
		topicConfig.computeIfPresent("min.insync.replicas", (key, value) -> Integer.toString(Math.min(Integer.parseInt(value), replication)));
		return new BrokerContract(namespace, brokerName, port, bootstrapServers,
				Integer.parseInt(config.getOrDefault("default.topic.partitions", "10")), replication, topicConfig, routes);
	}

	private static Map<String, String> config(List<HasMetadata> resources, Broker broker) {
		if (broker.getSpec() == null || broker.getSpec().getConfig() == null) {
			return Map.of();
		}
		String name = broker.getSpec().getConfig().getName();
		return resources.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
				.filter(c -> c.getMetadata().getName().equals(name)).findFirst()
				.map(ConfigMap::getData)
				.orElseThrow(() -> new IllegalArgumentException("Broker " + broker.getMetadata().getName() + " names config "
						+ name + ", which is not in the manifests"));
	}

	/** A ref with a {@code uri} is the ref's address with that path, as Knative resolves a Destination. */
	public static URI withPath(URI service, String uri) {
		return service == null || uri == null || uri.isBlank() ? service : service.resolve(uri);
	}
}

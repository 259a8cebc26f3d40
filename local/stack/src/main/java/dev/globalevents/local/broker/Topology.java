package dev.globalevents.local.broker;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.fabric8.knative.duck.v1.Destination;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Builds a {@link LocalBroker} from rendered manifests: the Broker, its Triggers in manifest order, each Trigger's
 * delivery (which replaces the Broker's, as in Knative), and subscribers resolved to local URLs — a Knative
 * Service by name through {@code serviceUrl} (plus the Destination's {@code uri} path, if any), a URI through
 * {@code uriMapping} (for example a peer region's gateway
 * route to that region's local broker; a Trigger whose subscriber maps to null is left out).
 */
public final class Topology {

	private Topology() {
	}

	public static LocalBroker broker(List<HasMetadata> resources, String brokerName, Function<String, URI> serviceUrl,
			Function<URI, URI> uriMapping, int port) {
		Broker broker = resources.stream().filter(Broker.class::isInstance).map(Broker.class::cast)
				.filter(b -> b.getMetadata().getName().equals(brokerName)).findFirst()
				.orElseThrow(() -> new IllegalArgumentException("no Broker " + brokerName + " in the manifests"));
		Function<Destination, URI> resolve = destination -> destination.getRef() != null
				? withPath(serviceUrl.apply(destination.getRef().getName()), destination.getUri())
				: uriMapping.apply(URI.create(destination.getUri()));
		Delivery brokerDelivery = Delivery.of(broker.getSpec() == null ? null : broker.getSpec().getDelivery(), resolve);
		List<Route> routes = new ArrayList<>();
		for (HasMetadata resource : resources) {
			if (resource instanceof Trigger trigger && brokerName.equals(trigger.getSpec().getBroker())) {
				Delivery delivery = trigger.getSpec().getDelivery() == null ? brokerDelivery
						: Delivery.of(trigger.getSpec().getDelivery(), resolve);
				URI subscriber = resolve.apply(trigger.getSpec().getSubscriber());
				if (subscriber == null) {
					System.getLogger("broker").log(System.Logger.Level.INFO, "trigger " + trigger.getMetadata().getName()
							+ " left out: its subscriber " + trigger.getSpec().getSubscriber().getUri() + " is not running locally");
					continue;
				}
				routes.add(new Route(trigger.getMetadata().getName(), trigger, subscriber, delivery));
			}
		}
		String namespace = broker.getMetadata().getNamespace() == null ? "default" : broker.getMetadata().getNamespace();
		return new LocalBroker(namespace, brokerName, routes, port);
	}

	/** A ref with a {@code uri} is the ref's address with that path, as Knative resolves a Destination. */
	public static URI withPath(URI service, String uri) {
		return service == null || uri == null || uri.isBlank() ? service : service.resolve(uri);
	}
}

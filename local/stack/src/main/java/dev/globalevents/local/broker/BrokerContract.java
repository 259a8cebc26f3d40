package dev.globalevents.local.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * What one broker's data plane needs, as Knative's Kafka controller hands it to the receiver and dispatcher: the
 * ingress path, the Kafka cluster and topic ({@code knative-broker-<namespace>-<name>}, its partitions, replication
 * and topic settings from the Broker's config ConfigMap) and one egress per Trigger. The local stack writes it as
 * JSON and starts a broker process on it.
 */
public record BrokerContract(String namespace, String name, int port, String bootstrapServers, int partitions,
		short replicationFactor, Map<String, String> topicConfig, List<Route> routes) {

	private static final KubernetesSerialization JSON = new KubernetesSerialization();

	public String topic() {
		return "knative-broker-" + namespace + "-" + name;
	}

	/** The consumer group of a Trigger, as the Kafka broker names it. */
	public String group(Route route) {
		return "knative-trigger-" + namespace + "-" + route.name();
	}

	public String path() {
		return "/" + namespace + "/" + name;
	}

	public URI ingress() {
		return URI.create("http://127.0.0.1:" + port + path());
	}

	public void write(Path file) {
		try {
			Files.writeString(file, JSON.asJson(this));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public static BrokerContract read(Path file) {
		try {
			return JSON.unmarshal(Files.readString(file), BrokerContract.class);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}

package dev.globalevents.local.broker;

import java.nio.file.Path;
import java.util.UUID;

/** One real Kafka node for the broker tests of this JVM (started on first use, stopped when the JVM exits). */
final class TestKafka {

	private static KafkaNode node;

	private TestKafka() {
	}

	static synchronized KafkaNode node() {
		if (node == null) {
			Path root = Path.of(System.getProperty("project.root", "../.."));
			node = new KafkaNode(root.resolve("local/kafka/target/lib"), Path.of("target", "kafka-" + UUID.randomUUID()));
			Runtime.getRuntime().addShutdownHook(new Thread(node::close));
		}
		return node;
	}
}

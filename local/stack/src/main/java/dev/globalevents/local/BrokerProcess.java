package dev.globalevents.local;

import dev.globalevents.local.broker.BrokerContract;
import dev.globalevents.local.broker.BrokerMain;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A region's broker as its own process ({@link BrokerMain} on the contract the stack wrote to
 * {@code <region>-broker.json}), as the Kafka broker's data plane runs in its own pods: killed without warning and
 * started again, it finds its topic and its Triggers' consumer groups in Kafka and goes on from their committed
 * offsets. Ready when {@code /healthz} answers 200: every Trigger's consumer has its partitions.
 */
final class BrokerProcess extends LocalProcess {

	private final BrokerContract contract;

	/** {@code env}: the process' environment (where its spans go: {@code ZIPKIN_ENDPOINT}, {@code TRACING_SAMPLE_RATE}). */
	BrokerProcess(String region, BrokerContract contract, Path stackJar, Path state, Map<String, String> env) {
		super(region + "/broker", java.util.stream.Stream.of(List.of(java(), "-XX:+UseParallelGC", "-Xmx384m"), SMALL_HEAP, List.of("-jar",
				stackJar.toString(), "broker", written(contract, state.resolve(region + "-broker.json")).toString())).flatMap(List::stream).toList(), env, state.resolve(region + "-broker.log"),
				URI.create("http://127.0.0.1:" + contract.port() + "/healthz"));
		this.contract = contract;
	}

	private static Path written(BrokerContract contract, Path file) {
		contract.write(file);
		return file;
	}

	BrokerContract contract() {
		return contract;
	}

	URI ingress() {
		return contract.ingress();
	}

	@Override
	URI address() {
		return ingress();
	}
}

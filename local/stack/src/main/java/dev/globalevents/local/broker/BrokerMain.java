package dev.globalevents.local.broker;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The broker as its own process, as the Kafka broker's receiver and dispatcher pods run apart from everything else:
 * {@code java -jar local-stack-*-exec.jar broker <contract.json>}. The local stack starts one per region, and can
 * kill it without warning and start it again ({@code POST /api/brokers/<region>/kill|start}). SIGTERM commits what
 * is done and stops.
 */
public final class BrokerMain {

	private BrokerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		if (args.length != 1) {
			System.err.println("usage: java -jar local-stack-*-exec.jar broker <contract.json>");
			System.exit(2);
		}
		BrokerContract contract = BrokerContract.read(Path.of(args[0]));
		JsonLogFormatter.install("broker", contract.namespace().replaceFirst("^globalevents-", ""));
		KafkaBroker broker = new KafkaBroker(contract, KafkaBroker.APPEND_TIMEOUT, tracer(contract, System.getenv()));
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			broker.close();
			stopped.countDown();
		}, "broker-stop"));
		stopped.await();
	}

	/**
	 * Spans to Zipkin when {@code ZIPKIN_ENDPOINT} is set ({@code http://host:port/api/v2/spans}), traces started here
	 * sampled at {@code TRACING_SAMPLE_RATE} (default 1), as Knative's {@code config-observability} sets the brokers'.
	 */
	static Tracer tracer(BrokerContract contract, java.util.Map<String, String> env) {
		String endpoint = env.get("ZIPKIN_ENDPOINT");
		if (endpoint == null || endpoint.isBlank()) {
			return Tracer.NONE;
		}
		return new Tracer(java.net.URI.create(endpoint), "broker-" + contract.namespace(),
				Double.parseDouble(env.getOrDefault("TRACING_SAMPLE_RATE", "1")));
	}
}

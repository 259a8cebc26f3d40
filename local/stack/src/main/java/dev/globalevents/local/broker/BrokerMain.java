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
		KafkaBroker broker = new KafkaBroker(contract);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			broker.close();
			stopped.countDown();
		}, "broker-stop"));
		stopped.await();
	}
}

package dev.globalevents.generate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the generator at the configured rate on its own thread from start-up to shutdown (SinkBinding mode); does
 * nothing when there is no generator (no sink, continuous mode off, or a load test).
 */
final class ContinuousGenerator implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(ContinuousGenerator.class);

	private final Generator generator;
	private final double rate;
	private final String sink;
	private volatile boolean running;
	private Thread thread;

	ContinuousGenerator(Generator generator, double rate, String sink) {
		this.generator = generator;
		this.rate = rate;
		this.sink = sink;
	}

	@Override
	public void start() {
		running = true;
		if (generator == null) {
			return;
		}
		thread = Thread.ofPlatform().name("generate-pacer").start(() -> {
			log.info("sending " + rate + " event(s)/s to " + sink);
			synchronized (generator) {
				generator.run(() -> rate, () -> running);
				generator.awaitAnswers();
			}
			log.info("stopped sending");
		});
	}

	@Override
	public void stop() {
		running = false;
		if (thread != null) {
			try {
				thread.join(10_000);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}
}

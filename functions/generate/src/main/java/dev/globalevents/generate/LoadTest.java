package dev.globalevents.generate;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The load-test mode: {@code java -jar generate.jar --target URL --rate 2000 --duration 60s --max-errors 0.01}.
 * Sends at the rate for the duration, prints a progress line every second (sent, acknowledged, errors, current
 * rate, in flight) and a summary (send latency p50/p95/p99/max, errors by status, achieved rate); the exit status
 * is 1 when the share of events without a 2xx exceeds {@code --max-errors}.
 */
final class LoadTest {

	private final Generator generator;
	private final GenerateStats stats;
	private final String target;
	private final double rate;
	private final Duration duration;
	private final double maxErrors;
	private final PrintStream out;

	LoadTest(Generator generator, GenerateStats stats, String target, double rate, Duration duration, double maxErrors,
			PrintStream out) {
		this.generator = generator;
		this.stats = stats;
		this.target = target;
		this.rate = rate;
		this.duration = duration;
		this.maxErrors = maxErrors;
		this.out = out;
	}

	/** Runs the test; returns the exit status. */
	int run() {
		out.printf("[load] %s: %.0f events/s for %s (max error share %.3f)%n", target, rate, duration, maxErrors);
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().unstarted(r));
		long[] previous = { 0, start };
		ticker.scheduleAtFixedRate(() -> {
			long now = System.nanoTime();
			long sent = stats.generatedCount();
			double current = (sent - previous[0]) / ((now - previous[1]) / 1e9);
			previous[0] = sent;
			previous[1] = now;
			out.printf("[load] %3ds  sent %d  acknowledged %d  errors %d  rate %.0f/s  in flight %d%n",
					Math.round((now - start) / 1e9), sent, stats.acknowledgedCount(), stats.errorCount(), current, generator.inFlight());
		}, 1, 1, TimeUnit.SECONDS);
		generator.run(() -> rate, () -> System.nanoTime() < end);
		double sendSeconds = (System.nanoTime() - start) / 1e9;
		ticker.shutdownNow();
		try {
			ticker.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		generator.awaitAnswers();
		return summary(sendSeconds);
	}

	private int summary(double sendSeconds) {
		Map<String, Object> snapshot = stats.snapshot();
		long generated = stats.generatedCount();
		long errors = stats.errorCount();
		double errorShare = generated == 0 ? 0 : (double) errors / generated;
		out.printf("[load] done: %d events in %.1f s = %.1f events/s (asked %.0f/s), %d requests%n", generated, sendSeconds,
				generated / sendSeconds, rate, stats.requestCount());
		out.printf("[load] acknowledged %d, rejected %s, failed %s, retries %s%n", stats.acknowledgedCount(),
				snapshot.get("rejected"), snapshot.get("failed"), snapshot.get("retries"));
		out.printf("[load] send latency ms %s%n", snapshot.get("send_latency_ms"));
		if (!((Map<?, ?>) snapshot.get("chaos")).isEmpty()) {
			out.printf("[load] injected faults %s%n", snapshot.get("chaos"));
		}
		boolean failed = errorShare > maxErrors;
		out.printf("[load] error share %.4f %s max %.4f: %s%n", errorShare, failed ? ">" : "<=", maxErrors, failed ? "FAIL" : "PASS");
		return failed ? 1 : 0;
	}
}

package dev.globalevents.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One measurement: a fixed rate for a fixed time through one path, starting on a window boundary so that the
 * windows it fills hold only its events; then the pipeline drains (up to 30 s) and what aggregate counted is read
 * back. The result has the client's view (sent, accepted, answer and end-to-end latencies: due → counted, read back),
 * aggregate's own histograms of the same windows, and the backlog left when the sending ended.
 */
final class Step {

	static final Duration DRAIN = Duration.ofSeconds(30);
	/** How long a step waits for the broker to deliver what earlier steps left, at most. */
	static final Duration SETTLE = Duration.ofSeconds(120);
	/** Records the broker may still have to deliver when a step starts (the stack's own reports trickle in). */
	static final long SETTLED_LAG = 20;

	private final Stack stack;
	private final OpenLoopSender sender;

	Step(Stack stack) {
		this.stack = stack;
		this.sender = new OpenLoopSender(stack);
	}

	StepResult run(String path, double rate, Duration duration) throws IOException, InterruptedException {
		settle(path, rate);
		long window = StackReadings.windowSizeMillis(stack.regions().getFirst());
		long start = (System.currentTimeMillis() / window + 1) * window;
		Thread.sleep(start - System.currentTimeMillis()); // waiting for the wall clock's next window boundary
		long started = System.nanoTime();
		List<OpenLoopSender.Sent> sent = sender.run(rate, duration, path.equals("gateway"));
		double seconds = (System.nanoTime() - started) / 1e9;
		long stopped = System.currentTimeMillis();
		Set<String> accepted = sent.stream().filter(OpenLoopSender.Sent::accepted).map(OpenLoopSender.Sent::id).collect(Collectors.toSet());
		Map<String, Long> counted = counted(start - window);
		long backlog = accepted.stream().filter(id -> !counted.containsKey(id)).count();
		long lag = StackReadings.brokerLag(stack);
		Map<String, Long> done = counted;
		long deadline = System.nanoTime() + DRAIN.toNanos();
		while (!done.keySet().containsAll(accepted) && System.nanoTime() < deadline) {
			Thread.sleep(500); // polling the read-back while the pipeline drains
			done = counted(start - window);
		}
		Map<String, Long> countedAt = done;
		long[] e2e = sent.stream().filter(s -> countedAt.containsKey(s.id())).mapToLong(s -> countedAt.get(s.id()) - s.dueMillis()).sorted().toArray();
		long[] ack = sent.stream().filter(OpenLoopSender.Sent::accepted).mapToLong(OpenLoopSender.Sent::ackNanos).sorted().toArray();
		StackReadings.Windows windows = StackReadings.windows(stack, start, stopped + 1);
		Map<Integer, Long> statuses = new HashMap<>();
		sent.forEach(s -> statuses.merge(s.status(), 1L, Long::sum));
		return new StepResult(path, stack.regions().size(), rate, accepted.size() / seconds, sent.size(), accepted.size(),
				e2e.length, statuses, percentile(e2e, 0.5), percentile(e2e, 0.99), percentile(ack, 0.5) / 1e6,
				percentile(ack, 0.99) / 1e6, windows.count(), windows.e2e().percentile(0.5), windows.e2e().percentile(0.99),
				windows.transit().percentile(0.99), backlog, lag);
	}

	/**
	 * Waits until the broker has delivered what earlier steps left (its Triggers' lag at most {@link #SETTLED_LAG}),
	 * for at most {@link #SETTLE}: a step that starts on another's backlog measures both. Measured before this, the
	 * warm-up's backlog on a cold stack was still being delivered during the first gateway steps.
	 */
	private void settle(String path, double rate) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + SETTLE.toNanos();
		long lag = StackReadings.brokerLag(stack);
		if (lag <= SETTLED_LAG) {
			return;
		}
		E2eBench.say("%-8s %7.0f waits for the broker to deliver %d records left by earlier steps", path, rate, lag);
		while (lag > SETTLED_LAG && System.nanoTime() < deadline) {
			Thread.sleep(1000); // polling the broker's lag while it delivers
			lag = StackReadings.brokerLag(stack);
		}
		if (lag > SETTLED_LAG) {
			E2eBench.say("%-8s %7.0f starts with %d records still to deliver after %d s", path, rate, lag, SETTLE.toSeconds());
		}
	}

	private Map<String, Long> counted(long from) throws IOException, InterruptedException {
		Map<String, Long> all = new HashMap<>();
		for (Stack.Region region : stack.regions()) {
			all.putAll(ReadBack.counted(region, from));
		}
		return all;
	}

	static double percentile(long[] sorted, double q) {
		return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
	}
}

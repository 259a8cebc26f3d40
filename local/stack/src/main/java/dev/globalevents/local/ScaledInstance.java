package dev.globalevents.local;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Semaphore;

import dev.globalevents.local.serving.RevisionScaler;

/**
 * A function process as an instance its revision's scaler starts and stops: started (again) on the same port and
 * environment and ready when its readiness probe answers, as a pod the autoscaler adds; stopped gracefully (SIGTERM).
 * One JVM starts at a time on this machine ({@code starting}, shared by every instance of the stack): several starting
 * at once on two busy cores each take minutes, longer than the held requests wait.
 */
final class ScaledInstance implements RevisionScaler.Instance {

	private static final Duration READY_WITHIN = Duration.ofMinutes(3);

	private final FunctionProcess process;
	private final Semaphore starting;
	private final java.util.function.BooleanSupplier stackStopping;

	/** {@code stackStopping}: true once the stack stops (a start then in progress stops what it started). */
	ScaledInstance(FunctionProcess process, Semaphore starting, java.util.function.BooleanSupplier stackStopping) {
		this.process = process;
		this.starting = starting;
		this.stackStopping = stackStopping;
	}

	@Override
	public URI url() {
		return process.url();
	}

	@Override
	public void start() throws InterruptedException {
		starting.acquire();
		try {
			long began = System.nanoTime();
			if (stackStopping.getAsBoolean()) {
				throw new IllegalStateException("the stack is stopping");
			}
			if (!process.started()) {
				process.begin();
			}
			else if (!process.alive()) {
				process.restart();
			}
			LocalStack.say(process.label() + ": starting (scaled up)");
			long deadline = began + READY_WITHIN.toNanos();
			while (!process.ready()) {
				if (stackStopping.getAsBoolean()) { // the stack may have closed this process before it was started
					process.close();
					throw new IllegalStateException("the stack is stopping");
				}
				if (!process.alive() || System.nanoTime() > deadline) {
					throw new IllegalStateException(process.label() + (process.alive() ? " not ready in " + READY_WITHIN.toSeconds() + " s" : " exited")
							+ ": " + process.log());
				}
				Thread.sleep(100);
			}
			process.serving(true);
			LocalStack.say(process.label() + ": ready on " + process.url() + " in " + (System.nanoTime() - began) / 1_000_000 + " ms (cold start)");
		}
		finally {
			starting.release();
		}
	}

	@Override
	public void stop() {
		process.serving(false);
		process.close();
		LocalStack.say(process.label() + ": stopped (scaled down)");
	}
}

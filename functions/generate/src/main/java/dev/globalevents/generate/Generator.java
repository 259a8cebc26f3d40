package dev.globalevents.generate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

import dev.globalevents.events.Event;

/**
 * Generates events, applies chaos and sends them, either paced at a rate (continuous mode, load tests) or as a
 * burst (a PingSource tick). Pacing follows a schedule (event i is due at start + i / rate), so the achieved rate
 * is the configured one as long as the sink keeps up; at most {@code maxInFlight} requests await an answer, so a
 * slow sink slows the generator down (backpressure) instead of piling up requests. A schedule more than one second
 * behind is reset, not caught up with a flood. Pacing runs on one thread, which also keeps a seeded run
 * reproducible.
 */
final class Generator {

	private static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final EventFactory factory;
	private final ChaosInjector injector;
	private final AtomicReference<ChaosSettings> chaos;
	private final CloudEventEncoder encoder;
	private final EventSender sender;
	private final GenerateStats stats;
	private final Semaphore inFlight;
	private final int maxInFlight;
	private final int batchSize;
	private final Clock clock;
	private final List<Outgoing> batch = new ArrayList<>();
	private long batchStarted;

	Generator(EventFactory factory, AtomicReference<ChaosSettings> chaos, CloudEventEncoder encoder, EventSender sender,
			GenerateStats stats, int maxInFlight, int batchSize, Clock clock) {
		this.factory = factory;
		this.injector = new ChaosInjector(factory, stats);
		this.chaos = chaos;
		this.encoder = encoder;
		this.sender = sender;
		this.stats = stats;
		this.inFlight = new Semaphore(maxInFlight);
		this.maxInFlight = maxInFlight;
		this.batchSize = batchSize;
		this.clock = clock;
	}

	/** Sends events at {@code rate()} per second (times the chaos burst factor) while {@code keepGoing}. */
	void run(DoubleSupplier rate, BooleanSupplier keepGoing) {
		long due = System.nanoTime();
		while (keepGoing.getAsBoolean()) {
			Instant now = clock.instant();
			double perSecond = rate.getAsDouble() * chaos.get().rateFactorAt(now);
			if (perSecond <= 0) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
				due = System.nanoTime();
				continue;
			}
			due += (long) (1e9 / perSecond);
			long wait = due - System.nanoTime();
			if (wait > 0) {
				flushIfOld();
				LockSupport.parkNanos(wait);
			}
			else if (wait < -1_000_000_000L) {
				due = System.nanoTime();
			}
			emit(clock.instant());
		}
		flush();
	}

	/** Sends {@code count} events paced at {@code rate} per second and waits for every answer. */
	void paced(long count, double rate) {
		long[] left = { count };
		run(() -> rate, () -> left[0]-- > 0);
		awaitAnswers();
	}

	/** Sends {@code count} events as fast as the in-flight limit allows and waits for every answer. */
	void burst(long count) {
		for (long i = 0; i < count; i++) {
			emit(clock.instant());
		}
		flush();
		awaitAnswers();
	}

	/** Waits until every request sent so far has its final answer. */
	void awaitAnswers() {
		inFlight.acquireUninterruptibly(maxInFlight);
		inFlight.release(maxInFlight);
	}

	int inFlight() {
		return maxInFlight - inFlight.availablePermits();
	}

	private void emit(Instant now) {
		ChaosSettings settings = chaos.get();
		Event event = factory.next(now);
		stats.generated();
		if (settings.blackoutAt(now)) {
			stats.chaos("blackout");
			return;
		}
		if (settings.rateFactorAt(now) > 1) {
			stats.chaos("burst");
		}
		for (Outgoing outgoing : injector.apply(event, settings)) {
			if (encoder.mode() == GenerateProperties.ContentMode.BATCH && outgoing.malformation() == null) {
				if (batch.isEmpty()) {
					batchStarted = System.nanoTime();
				}
				batch.add(outgoing);
				if (batch.size() >= batchSize) {
					flush();
				}
			}
			else {
				send(encoder.mode() == GenerateProperties.ContentMode.BATCH ? encoder.batch(List.of(outgoing)) : encoder.single(outgoing), settings);
			}
		}
	}

	private void flushIfOld() {
		if (!batch.isEmpty() && System.nanoTime() - batchStarted > FLUSH_NANOS) {
			flush();
		}
	}

	private void flush() {
		if (!batch.isEmpty()) {
			send(encoder.batch(List.copyOf(batch)), chaos.get());
			batch.clear();
		}
	}

	private void send(CloudEventEncoder.Request request, ChaosSettings settings) {
		inFlight.acquireUninterruptibly();
		long started = System.nanoTime();
		long delay = settings.latencyMs() + (settings.latencyJitterMs() > 0 ? factory.random().nextLong(settings.latencyJitterMs() + 1) : 0);
		CompletableFuture<Integer> answer;
		if (delay > 0) {
			stats.chaos("latency");
			answer = CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
					.thenCompose(ignored -> sender.send(request));
		}
		else {
			answer = sender.send(request);
		}
		answer.whenComplete((status, error) -> {
			stats.answered(status == null ? -1 : status, request.events(), System.nanoTime() - started);
			inFlight.release();
		});
	}
}

package dev.globalevents.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gathers rows from many requests into batches: a batch is written when it holds {@code size} rows or when its
 * oldest row has waited {@code maxWait}. Each request's answer waits for the batch holding its rows, so a request
 * is acknowledged only once its rows are delivered — or, when the store is unavailable after retries, durably
 * spilled (then the {@link Drainer} delivers them later). While rows are spilled, new batches are spilled behind
 * them, so the store receives rows in order.
 */
final class Batcher implements AutoCloseable {

	private static final Log log = LogFactory.getLog(Batcher.class);

	private final RowSink sink;
	private final Spill spill;
	private final ExportMetrics metrics;
	private final int size;
	private final List<ObjectNode> rows = new ArrayList<>();
	private final List<Sinks.Empty<Void>> waiting = new ArrayList<>();
	private final Disposable timer;
	private long oldest;
	private final long maxWaitNanos;

	/** @param spill where rows wait while the store is down, or null to answer 503 instead */
	Batcher(RowSink sink, Spill spill, ExportMetrics metrics, int size, Duration maxWait) {
		this.sink = sink;
		this.spill = spill;
		this.metrics = metrics;
		this.size = size;
		this.maxWaitNanos = maxWait.toNanos();
		Duration tick = maxWait.dividedBy(4).isZero() ? Duration.ofMillis(1) : maxWait.dividedBy(4);
		this.timer = Flux.interval(tick).subscribe(t -> flushIfOld());
	}

	/** Completes when the rows are delivered; errors when their batch could not be. */
	Mono<Void> submit(List<ObjectNode> submitted) {
		Sinks.Empty<Void> done = Sinks.empty();
		List<ObjectNode> batch = null;
		List<Sinks.Empty<Void>> batchWaiting = null;
		synchronized (this) {
			if (rows.isEmpty()) {
				oldest = System.nanoTime();
			}
			rows.addAll(submitted);
			waiting.add(done);
			if (rows.size() >= size) {
				batch = List.copyOf(rows);
				batchWaiting = List.copyOf(waiting);
				rows.clear();
				waiting.clear();
			}
		}
		if (batch != null) {
			write(batch, batchWaiting);
		}
		return done.asMono();
	}

	private void flushIfOld() {
		List<ObjectNode> batch;
		List<Sinks.Empty<Void>> batchWaiting;
		synchronized (this) {
			if (rows.isEmpty() || System.nanoTime() - oldest < maxWaitNanos) {
				return;
			}
			batch = List.copyOf(rows);
			batchWaiting = List.copyOf(waiting);
			rows.clear();
			waiting.clear();
		}
		write(batch, batchWaiting);
	}

	private void write(List<ObjectNode> batch, List<Sinks.Empty<Void>> batchWaiting) {
		long started = System.nanoTime();
		deliverOrSpill(batch, started).subscribe(null, error -> {
			if (error instanceof HttpDelivery.Undelivered undelivered && !undelivered.transientFailure()) {
				metrics.rejected(batch.size());
			}
			else {
				metrics.failed(batch.size());
			}
			log.warn(batch.size() + " row(s) not delivered to " + sink.describe() + ": " + error.getMessage());
			batchWaiting.forEach(w -> w.tryEmitError(error));
		}, () -> batchWaiting.forEach(Sinks.Empty::tryEmitEmpty));
	}

	private Mono<Void> deliverOrSpill(List<ObjectNode> batch, long started) {
		Mono<Void> deliver = sink.write(batch).doOnSuccess(done -> metrics.sent(batch.size(), System.nanoTime() - started));
		if (spill == null) {
			return deliver;
		}
		Mono<Void> spillIt = spill.append(batch).doOnSuccess(done -> metrics.spilled(batch.size()));
		return spill.backlog().onErrorReturn(0L).flatMap(backlog -> backlog > 0 ? spillIt
				: deliver.doOnError(e -> metrics.storeFailed(e.getMessage()))
						.onErrorResume(e -> e instanceof HttpDelivery.Undelivered u && u.transientFailure(), e -> {
					log.warn(batch.size() + " row(s) spilled to Redis: " + sink.describe() + " is unavailable (" + e.getMessage() + ")");
					return spillIt;
				}));
	}

	@Override
	public void close() {
		timer.dispose();
	}
}

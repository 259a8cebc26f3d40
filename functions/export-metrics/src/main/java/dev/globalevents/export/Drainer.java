package dev.globalevents.export;

import java.time.Duration;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Delivers spilled rows once the store is back: every {@code interval}, the replica holding the drain lease sends
 * the oldest rows in batches, in order, removing each batch from the spill after the store took it, until the spill
 * is empty or the store fails again (then it waits for the next interval). A restarted function finds its spill in
 * Redis and drains it. A crash between delivery and removal re-sends that one batch; rows carry their CloudEvent
 * id, so the store can recognize them (ClickHouse's ReplacingMergeTree collapses them).
 */
final class Drainer implements AutoCloseable {

	private static final Log log = LogFactory.getLog(Drainer.class);

	private final Spill spill;
	private final RowSink sink;
	private final ExportMetrics metrics;
	private final int batchSize;
	private final String owner = "export-" + UUID.randomUUID();
	private final Disposable schedule;

	Drainer(Spill spill, RowSink sink, ExportMetrics metrics, int batchSize, Duration interval) {
		this.spill = spill;
		this.sink = sink;
		this.metrics = metrics;
		this.batchSize = batchSize;
		this.schedule = Flux.interval(interval).onBackpressureDrop()
				.concatMap(tick -> drain().onErrorResume(e -> {
					log.info("spill not drained yet: " + e.getMessage());
					return Mono.empty();
				}), 1)
				.subscribe();
	}

	/** Drains while the store takes rows; emits how many were delivered. */
	Mono<Long> drain() {
		return spill.backlog().filter(backlog -> backlog > 0)
				.flatMap(backlog -> spill.lease(owner, 30_000).filter(Boolean::booleanValue).map(leased -> backlog))
				.flatMap(backlog -> {
					log.info("draining " + backlog + " spilled row(s) to " + sink.describe());
					return Mono.just(0L).expand(sent -> spill.oldest(batchSize).flatMap(rows -> rows.isEmpty() ? Mono.empty()
							: sink.write(rows.stream().map(Spill.Spilled::row).toList())
									.then(spill.remove(rows))
									.doOnSuccess(done -> metrics.sent(rows.size(), 0))
									.thenReturn(sent + rows.size())))
							.last()
							.doOnNext(sent -> log.info("drained " + sent + " row(s)"));
				});
	}

	@Override
	public void close() {
		schedule.dispose();
	}
}

package dev.globalevents.aggregate.emission;

import dev.globalevents.aggregate.sync.GlobalStore;
import dev.globalevents.aggregate.windows.WindowSnapshot;
import dev.globalevents.aggregate.windows.WindowStore;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Metrics;
import dev.globalevents.runtime.reporting.ProcessStats;
import dev.globalevents.events.WindowSummary;
import dev.globalevents.runtime.web.CloudEventSender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.function.cloudevent.CloudEventMessageBuilder;
import org.springframework.messaging.Message;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Closes windows that are due and emits, per region × window, one {@code metrics.window} CloudEvent (for
 * export-metrics: the totals and, in {@code types}, the figures per event type) and one {@code sync.summary} CloudEvent (for the peer regions), after merging the summary into this
 * region's own global view. Closing is a claim in Redis (exactly once across replicas); emission drains the outbox
 * and removes an entry only after the sink accepted both events, so a failed send is retried on the next tick and a
 * crashed replica's entries are taken over. CloudEvent ids are derived from the window and its closing time, so a
 * rare re-send after a crash is recognizable downstream, and a window re-closed after a replay rebuilt it is a new
 * version.
 */
public final class WindowEmitter {

	private static final Log log = LogFactory.getLog(WindowEmitter.class);

	private final WindowStore store;
	private final WindowOutbox outbox;
	private final GlobalStore global;
	private final Optional<CloudEventSender> sink;
	private final EmissionMetrics metrics;
	private final String region;
	private final Metrics.Tags tags;
	private final Clock clock;
	private final AtomicBoolean running = new AtomicBoolean();

	public WindowEmitter(WindowStore store, WindowOutbox outbox, GlobalStore global, Optional<CloudEventSender> sink,
			EmissionMetrics metrics, String region, Metrics.Tags tags, Clock clock) {
		this.store = store;
		this.outbox = outbox;
		this.global = global;
		this.sink = sink;
		this.metrics = metrics;
		this.region = region;
		this.tags = tags;
		this.clock = clock;
	}

	/**
	 * Closes due windows, then emits what the outbox holds. Ticks of one instance never overlap (a tick that finds
	 * one running does nothing), so an instance never sends its own pending entry twice at once.
	 */
	public Mono<Void> tick() {
		return Mono.defer(() -> running.compareAndSet(false, true)
				? closeAndEmit().doOnTerminate(() -> running.set(false)).doOnCancel(() -> running.set(false))
				: Mono.empty());
	}

	private Mono<Void> closeAndEmit() {
		return store.closeDue(clock.millis(), 100)
				.doOnNext(closed -> {
					if (!closed.isEmpty()) {
						metrics.closed(closed.size());
						log.info("closed " + closed.size() + " window(s) of " + region + ": " + closed);
					}
				})
				.then(outbox.take(32))
				.flatMapMany(Flux::fromIterable)
				.concatMap(entry -> emit(entry).onErrorResume(e -> {
					metrics.failed();
					log.warn("window " + entry.windowStart() + " of " + region + " not emitted yet: " + e.getMessage());
					return Mono.empty();
				}))
				.then();
	}

	private Mono<Void> emit(WindowOutbox.Entry entry) {
		return store.read(entry.windowStart())
				.zipWith(store.queueDepth())
				.flatMap(read -> {
					WindowSnapshot window = read.getT1();
					WindowSummary summary = window.summary();
					return global.merge(List.of(summary), clock.millis())
							.then(sink.map(s -> s.send(message(window, read.getT2())).then(s.send(summary(summary, window))))
									.orElse(Mono.empty()))
							.then(outbox.done(entry))
							.doOnSuccess(done -> metrics.emitted());
				});
	}

	public Message<WindowSummary> summary(WindowSummary summary, WindowSnapshot window) {
		return CloudEventMessageBuilder.withData(summary)
				.setId("summary-" + window.start() + "-" + window.closedAt())
				.setSource("/aggregate/" + window.region())
				.setType(CloudEventTypes.SYNC_SUMMARY)
				.setTime(summary.closedAt())
				.setDataContentType("application/json")
				.setHeader("ce-region", window.region())
				.build("ce-");
	}

	/**
	 * The window's {@code metrics.window} CloudEvent: the totals, and in {@code types} the same figures per event type
	 * (sorted by type), so export-metrics can store a row per type beside the total.
	 */
	public Message<Metrics> message(WindowSnapshot window, long queueDepth) {
		var total = window.total();
		List<Metrics.TypeMetrics> types = new TreeMap<>(window.types()).entrySet().stream()
				.map(type -> new Metrics.TypeMetrics(type.getKey(), type.getValue().count(), type.getValue().errorRate(),
						type.getValue().meanTransitMillis(), latency(type.getValue())))
				.toList();
		Metrics metrics = new Metrics(Instant.ofEpochMilli(window.start()).toString(), window.region(),
				new Metrics.Values(total.count(), total.meanTransitMillis(), total.errorRate(), queueDepth,
						ProcessStats.memoryBytes(), ProcessStats.cpuLoad()),
				tags,
				new Metrics.Window(Instant.ofEpochMilli(window.start()).toString(), Instant.ofEpochMilli(window.end()).toString()),
				latency(total), types);
		return CloudEventMessageBuilder.withData(metrics)
				.setId("window-" + window.start() + "-" + window.closedAt())
				.setSource("/aggregate/" + window.region())
				.setType(CloudEventTypes.METRICS_WINDOW)
				.setTime(Instant.ofEpochMilli(window.end()).toString())
				.setDataContentType("application/json")
				.setHeader("ce-region", window.region())
				.build("ce-");
	}

	/** End-to-end latency percentiles of one type or of the total. */
	private static Metrics.Latency latency(WindowSnapshot.TypeStats stats) {
		return new Metrics.Latency(stats.e2e().percentile(0.5), stats.e2e().percentile(0.95), stats.e2e().percentile(0.99));
	}
}

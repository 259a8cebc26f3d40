package dev.globalevents.aggregate.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.globalevents.events.Event;
import dev.globalevents.events.Json;
import dev.globalevents.runtime.ValidatedEvents;
import dev.globalevents.runtime.web.CloudEventSender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs replays: scans the retained events that arrived from {@code from - scanMargin} until the replay started
 * (events are retained in arrival order; the margin covers events whose time was ahead of the clock), re-emits those
 * matching the request as {@code event.validated} CloudEvents marked {@code replayed} with their original arrival
 * time, and records progress after every batch. Aggregation is idempotent, so a replay never double counts and can
 * be run again after a failure or a cancel. A send that still fails after retries fails the replay.
 */
public final class Replays implements AutoCloseable {

	private static final Log log = LogFactory.getLog(Replays.class);

	private final ReplayLog events;
	private final ReplayJobs jobs;
	private final CloudEventSender sink;
	private final Duration scanMargin;
	private final int batchSize;
	private final int concurrency;
	private final Clock clock;
	private final Map<String, Disposable> running = new ConcurrentHashMap<>();

	public Replays(ReplayLog events, ReplayJobs jobs, CloudEventSender sink, Duration scanMargin, int batchSize,
			int concurrency, Clock clock) {
		this.events = events;
		this.jobs = jobs;
		this.sink = sink;
		this.scanMargin = scanMargin;
		this.batchSize = batchSize;
		this.concurrency = concurrency;
		this.clock = clock;
	}

	/**
	 * Starts a replay in the background; emits its status fields as recorded (what to answer: reading them back could
	 * fail while the replay, already running, keeps Redis busy).
	 */
	public Mono<Map<String, String>> start(ReplayRequest request) {
		String id = UUID.randomUUID().toString();
		long now = clock.millis();
		long from = request.from().minus(scanMargin).toEpochMilli();
		return events.count(from, now)
				.flatMap(total -> jobs.start(id, request, total, now).doOnSuccess(started -> {
					log.info("replay " + id + " started: " + request.fields() + ", " + total + " retained event(s) to scan");
					running.put(id, run(id, request, from, now).doFinally(signal -> running.remove(id)).subscribe());
				}));
	}

	/** Runs a replay to its end; emits the final state. */
	public Mono<String> run(String id, ReplayRequest request, long from, long to) {
		return Mono.just(new Step(null, 0, false, false))
				.expand(step -> step.last() ? Mono.empty() : batch(id, request, step, from, to))
				.last()
				.flatMap(step -> finish(id, step.cancelled() ? "cancelled" : "done", null))
				.onErrorResume(e -> {
					log.warn("replay " + id + " failed: " + e.getMessage());
					return finish(id, "failed", String.valueOf(e.getMessage()));
				});
	}

	private Mono<Step> batch(String id, ReplayRequest request, Step step, long from, long to) {
		return events.read(step.cursor(), from, to, batchSize).flatMap(retained -> {
			if (retained.isEmpty()) {
				return Mono.just(new Step(step.cursor(), step.scanned(), true, false));
			}
			List<ReplayLog.Retained> matching = retained.stream()
					.filter(r -> request.matches(Json.MAPPER.readValue(r.json(), Event.class))).toList();
			String next = retained.getLast().id();
			return Flux.fromIterable(matching)
					.flatMap(this::send, concurrency)
					.then(jobs.progress(id, new ReplayJobs.Progress(retained.size(), matching.size(), matching.size()),
							next, clock.millis()))
					.map(cancelled -> new Step(next, step.scanned() + retained.size(), cancelled || retained.size() < batchSize,
							cancelled))
					.doOnNext(done -> {
						if (done.scanned() / (batchSize * 20L) != step.scanned() / (batchSize * 20L)) {
							log.info("replay " + id + ": " + done.scanned() + " retained event(s) scanned");
						}
					});
		});
	}

	private Mono<Void> send(ReplayLog.Retained retained) {
		Event event = Json.MAPPER.readValue(retained.json(), Event.class);
		Instant validatedAt = retained.validatedAt() == null ? null : Instant.parse(retained.validatedAt());
		return sink.send(ValidatedEvents.replayed(event, validatedAt, retained.arrivedAt()))
				.retryWhen(Retry.backoff(3, Duration.ofMillis(200)).transientErrors(false));
	}

	private Mono<String> finish(String id, String state, String error) {
		return jobs.finish(id, state, error, clock.millis())
				.doOnSuccess(done -> log.info("replay " + id + " " + state + (error == null ? "" : ": " + error)))
				.thenReturn(state);
	}

	@Override
	public void close() {
		running.values().forEach(Disposable::dispose);
	}

	/** Where a replay is: the cursor after the last scanned event, how many were scanned, whether it ended and whether by a cancel. */
	private record Step(String cursor, long scanned, boolean last, boolean cancelled) {
	}
}

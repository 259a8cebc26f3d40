package dev.globalevents.aggregate.windows;

import java.util.List;

import reactor.core.publisher.Mono;

/** Windows of counts and latency histograms per (region, event type), safe for any number of writers. */
public interface WindowStore {

	/** Records observations atomically and idempotently; emits one result per observation, in order. */
	public Mono<List<Observation.Result>> add(List<Observation> observations);

	/** Claims windows whose close time has passed, exactly once across writers; emits their starts. */
	public Mono<List<Long>> closeDue(long nowMillis, int max);

	/** The window's data. */
	public Mono<WindowSnapshot> read(long windowStart);

	/** Validated events not yet counted in this region: the highest validated sequence seen minus the events counted. */
	public Mono<Long> queueDepth();
}

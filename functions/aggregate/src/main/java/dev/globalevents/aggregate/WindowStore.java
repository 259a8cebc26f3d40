package dev.globalevents.aggregate;

import java.util.List;

import reactor.core.publisher.Mono;

/** Windows of counts and latency histograms per (region, event type), safe for any number of writers. */
interface WindowStore {

	/** Records observations atomically and idempotently; emits one result per observation, in order. */
	Mono<List<Observation.Result>> add(List<Observation> observations);

	/** Claims windows whose close time has passed, exactly once across writers; emits their starts. */
	Mono<List<Long>> closeDue(long nowMillis, int max);
}

package dev.globalevents.aggregate;

import java.util.List;

import reactor.core.publisher.Mono;

/** Closed windows waiting to be emitted; an entry stays until {@link #done}, so a crashed emitter's work is redone. */
interface WindowOutbox {

	/** An outbox entry: the closed window's start. */
	record Entry(String id, long windowStart) {
	}

	/** New entries for this instance, plus entries another instance took but did not finish in time. */
	Mono<List<Entry>> take(int max);

	Mono<Void> done(Entry entry);

	/** The window's data. */
	Mono<WindowSnapshot> read(long windowStart);

	/** Validated events not yet aggregated in this region (never negative). */
	Mono<Long> queueDepth();
}

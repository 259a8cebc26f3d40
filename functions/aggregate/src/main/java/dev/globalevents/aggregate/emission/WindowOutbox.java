package dev.globalevents.aggregate.emission;

import java.util.List;

import reactor.core.publisher.Mono;

/** Closed windows waiting to be emitted; an entry stays until {@link #done}, so a crashed emitter's work is redone. */
public interface WindowOutbox {

	/** An outbox entry: the closed window's start. */
	public record Entry(String id, long windowStart) {
	}

	/** New entries for this instance, plus entries another instance took but did not finish in time. */
	public Mono<List<Entry>> take(int max);

	public Mono<Void> done(Entry entry);
}

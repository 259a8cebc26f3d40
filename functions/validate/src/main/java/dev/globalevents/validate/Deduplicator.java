package dev.globalevents.validate;

import java.util.List;

import reactor.core.publisher.Mono;

/** Remembers which events were already seen, by their (source, id) key, and numbers the region's validated events. */
public interface Deduplicator {

	/**
	 * How an event stands: seen first by this call or before, and its number in the region's sequence of validated
	 * events (the same for every delivery of the event within the de-duplication window).
	 */
	record Seen(boolean first, long sequence) {
	}

	/** Marks each key as seen; emits, per key and in order, how it stands. Errors when undecidable. */
	Mono<List<Seen>> markSeen(List<String> keys);

	/** Single-key form of {@link #markSeen(List)}. */
	default Mono<Seen> markSeen(String key) {
		return markSeen(List.of(key)).map(seen -> seen.get(0));
	}
}

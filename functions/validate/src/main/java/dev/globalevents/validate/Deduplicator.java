package dev.globalevents.validate;

import java.util.List;

import reactor.core.publisher.Mono;

/** Remembers which events were already seen, by their (source, id) key. */
public interface Deduplicator {

	/** Marks each key as seen; emits, per key and in order, true when this call saw it first. Errors when undecidable. */
	Mono<List<Boolean>> markSeen(List<String> keys);

	/** Single-key form of {@link #markSeen(List)}. */
	default Mono<Boolean> markSeen(String key) {
		return markSeen(List.of(key)).map(first -> first.get(0));
	}
}

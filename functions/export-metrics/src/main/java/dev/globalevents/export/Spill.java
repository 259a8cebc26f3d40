package dev.globalevents.export;

import java.util.List;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** Rows kept durably, in order, while the store cannot take them. */
interface Spill {

	/** Appends rows at the end; completes once they are stored durably. */
	Mono<Void> append(List<ObjectNode> rows);

	/** The oldest rows, at most {@code max}, with their positions. */
	Mono<List<Spilled>> oldest(int max);

	/** Removes delivered rows. */
	Mono<Void> remove(List<Spilled> rows);

	/** Rows waiting. */
	Mono<Long> backlog();

	/** Takes the right to drain for {@code ttlMillis} (one drainer across replicas); emits whether it got it. */
	Mono<Boolean> lease(String owner, long ttlMillis);

	/** One spilled row and its position. */
	record Spilled(String id, ObjectNode row) {
	}
}

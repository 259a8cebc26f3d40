package dev.globalevents.aggregate.replay;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * The validated events this region retained, in arrival order, with the times a replay needs to rebuild the same
 * windows: when aggregate first received each one and when validate forwarded it.
 */
public interface ReplayLog {

	/** How many events arrived in [fromMillis, toMillis]. */
	public Mono<Long> count(long fromMillis, long toMillis);

	/** Up to {@code max} events that arrived after {@code cursor} (null: from {@code fromMillis}) up to {@code toMillis}. */
	public Mono<List<Retained>> read(String cursor, long fromMillis, long toMillis, int max);

	/**
	 * One retained event.
	 *
	 * @param id          its position in the log (the cursor to continue after it)
	 * @param json        the normalized event
	 * @param arrivedAt   when aggregate first received it, epoch ms
	 * @param validatedAt when validate forwarded it (ISO 8601), or null
	 */
	public record Retained(String id, String json, long arrivedAt, String validatedAt) {
	}
}

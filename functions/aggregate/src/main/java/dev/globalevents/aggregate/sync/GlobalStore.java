package dev.globalevents.aggregate.sync;

import java.util.List;
import java.util.Map;

import dev.globalevents.events.WindowSummary;
import reactor.core.publisher.Mono;

/** Closed-window summaries of every region, merged idempotently: the global view. */
public interface GlobalStore {

	/**
	 * Merges summaries received at {@code receivedAtMillis}; per origin region and window the latest
	 * {@code closed_at} wins, so repeated, re-ordered or replayed summaries change nothing. Emits, per summary,
	 * whether it changed the view.
	 */
	public Mono<List<Boolean>> merge(List<WindowSummary> summaries, long receivedAtMillis);

	/** The newest {@code max} windows any region summarized, newest first: window start to origin to summary. */
	public Mono<Map<Long, Map<String, WindowSummary>>> recent(int max);

	/** Per origin region: the newest window end merged and when a summary last arrived (epoch ms). */
	public Mono<Map<String, Freshness>> freshness();

	/** How fresh one region's data is. */
	public record Freshness(long latestWindowEnd, long lastHeard) {
	}
}

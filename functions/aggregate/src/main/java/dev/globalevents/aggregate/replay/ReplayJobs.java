package dev.globalevents.aggregate.replay;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * Replay status shared by every replica: any instance answers "how far is replay X" and can cancel it, while the
 * instance that accepted it does the work.
 */
public interface ReplayJobs {

	/** Records a new running replay that will scan {@code total} retained events; emits the status fields recorded. */
	public Mono<Map<String, String>> start(String id, ReplayRequest request, long total, long nowMillis);

	/**
	 * Adds one batch's progress and moves the cursor; emits whether a cancel was requested.
	 */
	public Mono<Boolean> progress(String id, Progress batch, String cursor, long nowMillis);

	/** Ends a replay: {@code done}, {@code cancelled} or {@code failed} (with an error). */
	public Mono<Void> finish(String id, String state, String error, long nowMillis);

	/** Asks a running replay to stop; emits false when there is no such running replay. */
	public Mono<Boolean> cancel(String id);

	/** The status fields of a replay, empty when unknown. */
	public Mono<Map<String, String>> get(String id);

	/** The newest replays' status fields, newest first. */
	public Mono<List<Map<String, String>>> recent(int max);

	/** What one batch did: retained events scanned, of which matching the request, of which sent. */
	public record Progress(long scanned, long matched, long sent) {
	}
}

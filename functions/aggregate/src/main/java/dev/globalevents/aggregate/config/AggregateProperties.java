package dev.globalevents.aggregate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Typed configuration of the aggregate function ({@code aggregate.*}); the defaults are here and only here. The
 * region, Redis and sink come from the runtime ({@code function.*}).
 *
 * @param windowSize      tumbling window size, by event time
 * @param allowedLateness how long after its end a window still takes events; later ones count as late
 * @param closeInterval   how often this instance looks for windows to close and metrics to emit
 * @param seenTtl         how long an event's (source, id) is remembered as counted (covers retries and replays)
 * @param windowTtl       how long window data stays queryable
 * @param retainedEvents  approximate maximum length of the retained-event stream used by replay
 * @param retainedFor     approximate maximum age of retained events (by arrival); zero: no time limit
 * @param errors          which events count as errors: event type to rule ({@code ""}: every event of the type;
 *                        {@code /json/pointer=value1|value2}: when the payload field has one of the values)
 * @param replay          how replays run
 * @param global          how the global view judges peers
 */
@ConfigurationProperties("aggregate")
public record AggregateProperties(
		@DefaultValue("10s") Duration windowSize,
		@DefaultValue("30s") Duration allowedLateness,
		@DefaultValue("1s") Duration closeInterval,
		@DefaultValue("24h") Duration seenTtl,
		@DefaultValue("24h") Duration windowTtl,
		@DefaultValue("1000000") long retainedEvents,
		@DefaultValue("24h") Duration retainedFor,
		Map<String, String> errors,
		@DefaultValue Replay replay,
		@DefaultValue Global global) {

	public AggregateProperties {
		errors = errors == null ? Map.of() : new LinkedHashMap<>(errors);
	}

	/** The defaults, as Spring binds them from no configuration (for tests and tools). */
	public static AggregateProperties defaults() {
		return new org.springframework.boot.context.properties.bind.Binder().bindOrCreate("aggregate", AggregateProperties.class);
	}

	public AggregateProperties withRetainedFor(Duration retention) {
		return new AggregateProperties(windowSize, allowedLateness, closeInterval, seenTtl, windowTtl, retainedEvents, retention,
				errors, replay, global);
	}

	public AggregateProperties withErrors(Map<String, String> rules) {
		return new AggregateProperties(windowSize, allowedLateness, closeInterval, seenTtl, windowTtl, retainedEvents, retainedFor,
				rules, replay, global);
	}

	public AggregateProperties withReplayBatchSize(int batchSize) {
		return new AggregateProperties(windowSize, allowedLateness, closeInterval, seenTtl, windowTtl, retainedEvents, retainedFor,
				errors, new Replay(replay.scanMargin(), batchSize, replay.concurrency(), replay.abandonedAfter()), global);
	}

	/**
	 * @param scanMargin     a replay scans events that arrived from {@code from - scanMargin}: covers events whose
	 *                       time was ahead of the clock (validate accepts up to 5 min of skew)
	 * @param batchSize      retained events read per step; progress is recorded and cancels are seen per step
	 * @param concurrency    replayed events in flight to the sink at once
	 * @param abandonedAfter a running replay whose instance has not reported for this long shows as abandoned
	 */
	public record Replay(
			@DefaultValue("5m") Duration scanMargin,
			@DefaultValue("500") int batchSize,
			@DefaultValue("16") int concurrency,
			@DefaultValue("60s") Duration abandonedAfter) {
	}

	/**
	 * @param staleAfter a region whose newest merged window ended longer ago than this shows as stale (normally the
	 *                   newest window ended between allowed lateness and lateness + window size ago)
	 */
	public record Global(@DefaultValue("90s") Duration staleAfter) {
	}
}

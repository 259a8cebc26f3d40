package dev.globalevents.events;

import java.util.List;

/**
 * The CloudEvent types of every pipeline stage, in one place. Outside senders use their own event types
 * ({@code order.created}); every type under {@link #RESERVED_PREFIXES} belongs to the pipeline and is rejected
 * when it arrives from outside (validate and the gateway both check this).
 *
 * <pre>
 *  sender ──order.created──▶ validate ──event.validated──▶ aggregate ──metrics.window──▶ export-metrics
 *                                                              └──sync.summary──▶ peer regions
 *  every function ──metrics.sample──▶ export-metrics
 * </pre>
 */
public final class CloudEventTypes {

	/** Namespace of all pipeline-internal types. */
	public static final String NAMESPACE = "dev.globalevents.";

	/** Output of validate, input of aggregate: data is a normalized {@link Event}. */
	public static final String EVENT_VALIDATED = NAMESPACE + "event.validated";

	/** Output of aggregate when a window closes: data is {@link Metrics} for one region and window. */
	public static final String METRICS_WINDOW = NAMESPACE + "metrics.window";

	/** Periodic self-report of every function: data is {@link Metrics}. */
	public static final String METRICS_SAMPLE = NAMESPACE + "metrics.sample";

	/** Closed-window summary that a region publishes to its peers. */
	public static final String SYNC_SUMMARY = NAMESPACE + "sync.summary";

	/** Types outside senders may not use. */
	public static final List<String> RESERVED_PREFIXES = List.of(NAMESPACE, "dev.knative.");

	private CloudEventTypes() {
	}

	public static boolean isReserved(String type) {
		return type != null && RESERVED_PREFIXES.stream().anyMatch(type::startsWith);
	}
}

package dev.globalevents.canary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The PromQL the analysis runs for one revision over one window, on the request histogram every function exposes
 * (Spring Boot's {@code http_server_requests_seconds_count} and {@code _bucket}, functions/runtime
 * function-defaults.properties). With the defaults and revision {@code validate-00002} over 120 s:
 *
 * <pre>
 * requests: sum(increase(http_server_requests_seconds_count{revision="validate-00002",uri!~"/actuator.*|/healthz"}[120s]))
 * errors:   sum(increase(http_server_requests_seconds_count{revision="validate-00002",uri!~"/actuator.*|/healthz",status=~"5.."}[120s]))
 * p99:      histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{revision="validate-00002",uri!~"/actuator.*|/healthz"}[120s])))
 * </pre>
 *
 * The functions tag their series with {@code service} and {@code region} themselves; the revision label comes from the
 * cluster's scrape (Knative labels each pod {@code serving.knative.dev/revision}; docs/release.md shows the relabeling),
 * so its name is a setting, like the others.
 *
 * @param metric        the histogram's base name
 * @param revisionLabel the label holding the Knative revision name
 * @param statusLabel   the label holding the HTTP status
 * @param errorStatus   the regular expression of the statuses that count as errors
 * @param uriLabel      the label holding the route template
 * @param excludeUri    the regular expression of routes left out (probes, scrapes); empty: none
 * @param selector      further matchers for every series, e.g. {@code namespace="globalevents-us-east"}; empty: none
 */
public record MetricQueries(String metric, String revisionLabel, String statusLabel, String errorStatus, String uriLabel, String excludeUri,
		String selector) {

	public static final String METRIC = "http_server_requests_seconds";
	public static final String REVISION_LABEL = "revision";
	public static final String STATUS_LABEL = "status";
	public static final String ERROR_STATUS = "5..";
	public static final String URI_LABEL = "uri";
	/** The same routes the recording rules leave out (knative/observability/prometheus/rules). */
	public static final String EXCLUDE_URI = "/actuator.*|/healthz";

	public static MetricQueries defaults() {
		return new MetricQueries(METRIC, REVISION_LABEL, STATUS_LABEL, ERROR_STATUS, URI_LABEL, EXCLUDE_URI, "");
	}

	public String requests(String revision, Duration window) {
		return "sum(increase(" + metric + "_count" + selector(revision, List.of()) + range(window) + "))";
	}

	public String errors(String revision, Duration window) {
		return "sum(increase(" + metric + "_count" + selector(revision, List.of(statusLabel + "=~" + quote(errorStatus))) + range(window) + "))";
	}

	public String p99(String revision, Duration window) {
		return "histogram_quantile(0.99, sum by (le) (rate(" + metric + "_bucket" + selector(revision, List.of()) + range(window) + ")))";
	}

	private String selector(String revision, List<String> more) {
		List<String> matchers = new ArrayList<>();
		matchers.add(revisionLabel + "=" + quote(revision));
		if (!excludeUri.isEmpty()) {
			matchers.add(uriLabel + "!~" + quote(excludeUri));
		}
		if (!selector.isBlank()) {
			matchers.add(selector.strip());
		}
		matchers.addAll(more);
		return "{" + String.join(",", matchers) + "}";
	}

	private static String range(Duration window) {
		if (window.toMillis() < 1000) {
			throw new IllegalArgumentException("the window must be at least a second: " + window);
		}
		return "[" + window.toSeconds() + "s]";
	}

	/** A PromQL string literal. */
	static String quote(String value) {
		return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
	}
}

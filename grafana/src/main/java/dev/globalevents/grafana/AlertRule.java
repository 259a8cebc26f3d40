package dev.globalevents.grafana;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One Grafana-managed alert rule of {@code grafana/provisioning/alerting/rules.yaml}, in the shape this module's rules
 * all have: query A (ClickHouse SQL over TrafficPeak) → B reduce → C threshold.
 *
 * @param uid          the rule's stable uid
 * @param title        its title (the alert name on-call sees)
 * @param query        query A
 * @param reducer      B's reducer (last, mean, min, max, sum, count)
 * @param threshold    C's evaluator
 * @param evaluateEvery the group's evaluation interval
 * @param pending      the rule's {@code for}: how long C must hold before it fires
 * @param noDataState  what the rule becomes when A answers no rows (NoData, Alerting, OK, KeepLast)
 * @param labels       its labels (severity …)
 * @param annotations  its annotations (summary, description, runbook_url)
 * @param dashboardUid the dashboard it links to
 * @param panelId      the panel it links to
 */
public record AlertRule(String uid, String title, Query query, String reducer, Threshold threshold, Duration evaluateEvery,
		Duration pending, String noDataState, Map<String, String> labels, Map<String, String> annotations, String dashboardUid,
		int panelId) {

	/**
	 * Query A.
	 *
	 * @param lookBack  {@code relativeTimeRange.from}: the range starts this long before the evaluation
	 * @param lookAhead {@code relativeTimeRange.to}: the range ends this long before the evaluation
	 * @param interval  the query's interval ({@code intervalMs})
	 */
	public record Query(String datasourceUid, int format, String rawSql, Duration lookBack, Duration lookAhead, Duration interval) {
	}

	/** C: {@code gt}, {@code lt}, {@code within_range}, {@code outside_range} over its params. */
	public record Threshold(String type, List<Double> params) {

		public boolean test(double value) {
			if (Double.isNaN(value)) {
				return false;
			}
			return switch (type) {
				case "gt" -> value > params.get(0);
				case "lt" -> value < params.get(0);
				case "within_range" -> value > params.get(0) && value < params.get(1);
				case "outside_range" -> value < params.get(0) || value > params.get(1);
				default -> throw new IllegalArgumentException("unsupported threshold " + type);
			};
		}
	}
}

package dev.globalevents.grafana;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Grafana's alerting makes of a rule of this module at an evaluation time: query A over the rule's relative time
 * range (the plugin's macros expanded, no dashboard variable), its table turned into one series per row (the string
 * columns are the labels, the one numeric column the value, as Grafana reads numeric table data), B's reducer, C's
 * threshold; and, for {@link #firing}, the rule's pending period ({@code for}) over the group's evaluations.
 */
public final class AlertEvaluation {

	private AlertEvaluation() {
	}

	/** One alert instance: a label set (e.g. region=eu-west), B's value and whether C holds. */
	public record Instance(Map<String, String> labels, double value, boolean breached) {
	}

	/**
	 * One evaluation.
	 *
	 * @param sql       query A as ClickHouse ran it
	 * @param instances one per row of A
	 * @param noData    A answered no rows
	 */
	public record Evaluation(AlertRule rule, Instant at, String sql, List<Instance> instances, boolean noData) {

		/** The label sets C holds for; on no data, the rule's own (empty) label set when its noDataState is Alerting. */
		public Set<Map<String, String>> breached() {
			Set<Map<String, String>> breached = new LinkedHashSet<>();
			if (noData && rule.noDataState().equals("Alerting")) {
				breached.add(Map.of());
			}
			instances.stream().filter(Instance::breached).forEach(i -> breached.add(i.labels()));
			return breached;
		}

		/** B's value per label set. */
		public Map<Map<String, String>, Double> values() {
			Map<Map<String, String>, Double> values = new LinkedHashMap<>();
			instances.forEach(i -> values.put(i.labels(), i.value()));
			return values;
		}
	}

	/** Evaluates a rule once, at {@code at}. */
	public static Evaluation evaluate(ClickHouseHttp clickhouse, AlertRule rule, Instant at) {
		AlertRule.Query query = rule.query();
		String sql = Macros.expandForAlert(query.rawSql(), at.minus(query.lookBack()), at.minus(query.lookAhead()), query.interval().toSeconds());
		ClickHouseHttp.Table table = clickhouse.query(sql);
		List<Integer> numbers = new ArrayList<>();
		List<Integer> labels = new ArrayList<>();
		for (int i = 0; i < table.types().size(); i++) {
			if (ClickHouseHttp.Table.numeric(table.types().get(i))) {
				numbers.add(i);
			}
			else if (table.types().get(i).matches("(LowCardinality\\()?String\\)?")) {
				labels.add(i);
			}
			else {
				throw new IllegalStateException(rule.uid() + ": Grafana reads a table as alert data only with string and numeric columns, not "
						+ table.names().get(i) + " " + table.types().get(i));
			}
		}
		if (numbers.size() != 1) {
			throw new IllegalStateException(rule.uid() + ": Grafana reads a table as alert data only with exactly one numeric column, got " + table.names());
		}
		List<Instance> instances = new ArrayList<>();
		Set<Map<String, String>> seen = new LinkedHashSet<>();
		for (int row = 0; row < table.rows().size(); row++) {
			Map<String, String> set = new LinkedHashMap<>();
			for (int column : labels) {
				set.put(table.names().get(column), table.rows().get(row).get(column));
			}
			if (!seen.add(set)) {
				throw new IllegalStateException(rule.uid() + ": two rows with the labels " + set + " (Grafana refuses duplicate series)");
			}
			double value = reduce(rule.reducer(), List.of(table.number(row, numbers.getFirst())));
			instances.add(new Instance(Map.copyOf(set), value, rule.threshold().test(value)));
		}
		return new Evaluation(rule, at, sql, List.copyOf(instances), instances.isEmpty());
	}

	/**
	 * The label sets the rule fires for at {@code now}: C held at every evaluation of the group (every
	 * {@link AlertRule#evaluateEvery()}) over the rule's pending period up to now (one evaluation when it is 0).
	 */
	public static Set<Map<String, String>> firing(ClickHouseHttp clickhouse, AlertRule rule, Instant now) {
		long evaluations = rule.pending().toSeconds() / rule.evaluateEvery().toSeconds();
		Set<Map<String, String>> firing = null;
		for (long k = evaluations; k >= 0; k--) {
			Set<Map<String, String>> breached = evaluate(clickhouse, rule, now.minus(rule.evaluateEvery().multipliedBy(k))).breached();
			if (firing == null) {
				firing = new LinkedHashSet<>(breached);
			}
			else {
				firing.retainAll(breached);
			}
		}
		return firing;
	}

	/** B: Grafana's reducers (strict mode: a NaN in, NaN out). */
	static double reduce(String reducer, List<Double> values) {
		if (values.stream().anyMatch(v -> Double.isNaN(v))) {
			return Double.NaN;
		}
		return switch (reducer) {
			case "last" -> values.getLast();
			case "mean" -> values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
			case "min" -> values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
			case "max" -> values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
			case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
			case "count" -> values.size();
			default -> throw new IllegalArgumentException("unsupported reducer " + reducer);
		};
	}
}

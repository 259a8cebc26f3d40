package dev.globalevents.grafana;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one panel query as Grafana would (its variables and the plugin's macros expanded by {@link Macros}) on a
 * ClickHouse over HTTP, and says whether the answer has the shape the panel reads: for a time series (format 0) a
 * {@code time} column of type DateTime first, then the label columns (strings, e.g. {@code region}), then numbers; for
 * a table (format 1) strings, dates and numbers, at least one number. Used by this module's proofs on crafted data and
 * by the local stack on the data the real pipeline wrote.
 */
public final class PanelCheck {

	private PanelCheck() {
	}

	/**
	 * @param sql      what ClickHouse ran
	 * @param table    its answer
	 * @param problems what does not fit the panel (empty when it does)
	 */
	public record Result(PanelQuery query, String sql, ClickHouseHttp.Table table, List<String> problems) {

		public boolean ok() {
			return problems.isEmpty();
		}

		public List<String> names() {
			return table.names();
		}

		public List<String> types() {
			return table.types();
		}

		public List<List<String>> rows() {
			return table.rows();
		}
	}

	/**
	 * Runs a panel query over [from, to] with Grafana's interval for that panel and every variable at All.
	 *
	 * @param clickhouse the HTTP interface, e.g. {@code http://127.0.0.1:8123/}
	 */
	public static Result run(String clickhouse, PanelQuery query, Instant from, Instant to) {
		return run(clickhouse, query, from, to, Dashboards.intervalSeconds(query, from, to), Dashboards.variables(query.dashboardUid(), Map.of()));
	}

	/**
	 * Runs a panel query over [from, to] with this interval and these variable values (all of the dashboard's; see
	 * {@link Dashboards#variables}). A query ClickHouse refuses throws {@link ClickHouseHttp.Failure}.
	 */
	public static Result run(String clickhouse, PanelQuery query, Instant from, Instant to, long intervalSeconds,
			Map<String, List<String>> variables) {
		String sql = Macros.expand(query.rawSql(), from, to, intervalSeconds, variables);
		ClickHouseHttp.Table table = new ClickHouseHttp(clickhouse).query(sql);
		return new Result(query, sql, table, problems(query, table));
	}

	/** What in a ClickHouse answer does not fit the panel that reads it. */
	public static List<String> problems(PanelQuery query, ClickHouseHttp.Table table) {
		List<String> problems = new ArrayList<>();
		List<String> names = table.names();
		List<String> types = table.types();
		String where = query.dashboardUid() + " panel " + query.panelId() + " " + query.refId() + ": ";
		if (query.timeSeries()) {
			if (names.isEmpty() || !names.getFirst().equals("time") || !types.getFirst().equals("DateTime")) {
				problems.add(where + "a time series needs column time of type DateTime first, got " + columns(table));
				return problems;
			}
			int i = 1;
			while (i < types.size() && text(types.get(i))) {
				i++;
			}
			if (i == types.size()) {
				problems.add(where + "a time series needs at least one number after time and its labels, got " + columns(table));
			}
			for (; i < types.size(); i++) {
				if (!ClickHouseHttp.Table.numeric(types.get(i))) {
					problems.add(where + "column " + names.get(i) + " after the values is " + types.get(i) + ", not a number: " + columns(table));
				}
			}
		}
		else {
			if (types.stream().noneMatch(ClickHouseHttp.Table::numeric)) {
				problems.add(where + "a table panel needs at least one number, got " + columns(table));
			}
			for (int i = 0; i < types.size(); i++) {
				if (!ClickHouseHttp.Table.numeric(types.get(i)) && !text(types.get(i)) && !types.get(i).matches("Date|DateTime")) {
					problems.add(where + "column " + names.get(i) + " is " + types.get(i) + ": neither a label, a time nor a number");
				}
			}
		}
		return problems;
	}

	private static boolean text(String type) {
		return type.matches("(LowCardinality\\()?String\\)?");
	}

	private static String columns(ClickHouseHttp.Table table) {
		List<String> columns = new ArrayList<>();
		for (int i = 0; i < table.names().size(); i++) {
			columns.add(table.names().get(i) + " " + table.types().get(i));
		}
		return columns.toString();
	}
}

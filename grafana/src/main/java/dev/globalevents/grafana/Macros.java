package dev.globalevents.grafana;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Grafana and the ClickHouse data source plugin (grafana-clickhouse-datasource 4.x, stable since 4.0.3) make of
 * a panel's SQL before ClickHouse sees it, so the proofs and the local live page run exactly what Grafana would:
 * first the dashboard's variables (in the browser: {@code ${var:singlequote}}, {@code $var}, {@code $__conditionalAll}),
 * then the plugin's macros (in its Go backend, {@code pkg/macros/macros.go}). Only the macros that also run on
 * ClickHouse 18.16 are accepted (the local stand-in); the others ({@code $__timeInterval}, {@code $__timeGroup}, every
 * {@code _ms} variant, the statement macros) are refused, so a dashboard cannot use them by accident.
 */
public final class Macros {

	/** Grafana's value of a variable set to All. */
	public static final String ALL = "$__all";

	private static final Pattern FORBIDDEN = Pattern.compile(
			"\\$__(timeFilter_ms|fromTime_ms|toTime_ms|timeInterval|timeInterval_ms|timeGroup|columns|rateColumns|perSecondColumns|increaseColumns|lttb|interval)\\b(?!_)");
	private static final Pattern CONDITIONAL_ALL = Pattern.compile("\\$__conditionalAll\\((.*?),\\s*\\$(\\w+)\\s*\\)");
	private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::(\\w+))?}|\\$(?!__)(\\w+)");
	private static final Pattern ONE_COLUMN = Pattern.compile("\\$__(timeFilter|timeFrom|timeTo|dateFilter)\\(\\s*([^()]+?)\\s*\\)");
	private static final Pattern DATE_TIME_FILTER = Pattern.compile("\\$__(dateTimeFilter|dt)\\(\\s*([^(),]+?)\\s*,\\s*([^(),]+?)\\s*\\)");
	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

	private Macros() {
	}

	/**
	 * A panel's SQL as ClickHouse receives it for the time range [from, to], the panel's interval and the
	 * dashboard's variables (name to selected values; {@link #ALL} alone, or no entry, means All).
	 */
	public static String expand(String sql, Instant from, Instant to, long intervalSeconds, Map<String, List<String>> variables) {
		return macros(variables(sql, variables), from, to, intervalSeconds);
	}

	/**
	 * An alert rule's SQL as ClickHouse receives it: Grafana evaluates rules in the backend, where no dashboard variable
	 * exists, so a rule that uses one is refused.
	 */
	public static String expandForAlert(String sql, Instant from, Instant to, long intervalSeconds) {
		if (sql.contains("$__conditionalAll") || VARIABLE.matcher(sql).find()) {
			throw new IllegalArgumentException("an alert rule's SQL cannot use dashboard variables (not expanded when rules are evaluated): " + sql);
		}
		return macros(sql, from, to, intervalSeconds);
	}

	static String variables(String sql, Map<String, List<String>> variables) {
		Matcher all = CONDITIONAL_ALL.matcher(sql);
		StringBuilder out = new StringBuilder();
		while (all.find()) {
			all.appendReplacement(out, Matcher.quoteReplacement(isAll(variables.get(all.group(2))) ? "1=1" : all.group(1)));
		}
		all.appendTail(out);
		Matcher variable = VARIABLE.matcher(out.toString());
		StringBuilder expanded = new StringBuilder();
		while (variable.find()) {
			String name = variable.group(1) != null ? variable.group(1) : variable.group(3);
			List<String> values = variables.get(name);
			if (values == null) {
				throw new IllegalArgumentException("$" + name + " is not a variable of the dashboard: " + sql);
			}
			String format = variable.group(2);
			String value = format == null ? String.join(",", values)
					: switch (format) {
						case "singlequote" -> values.stream().map(v -> "'" + v.replace("'", "\\'") + "'").collect(Collectors.joining(","));
						case "raw" -> String.join(",", values);
						default -> throw new IllegalArgumentException("unsupported variable format :" + format + " in " + sql);
					};
			variable.appendReplacement(expanded, Matcher.quoteReplacement(value));
		}
		variable.appendTail(expanded);
		return expanded.toString();
	}

	private static boolean isAll(List<String> values) {
		return values == null || values.isEmpty() || values.equals(List.of(ALL)) || values.equals(List.of(""));
	}

	static String macros(String sql, Instant from, Instant to, long intervalSeconds) {
		Matcher forbidden = FORBIDDEN.matcher(sql);
		if (forbidden.find()) {
			throw new IllegalArgumentException(forbidden.group() + " does not run on ClickHouse 18.16 or is not a number; use $__timeFilter,"
					+ " $__fromTime/$__toTime and $__interval_s: " + sql);
		}
		long f = from.getEpochSecond();
		long t = to.getEpochSecond();
		Matcher dateTime = DATE_TIME_FILTER.matcher(sql);
		StringBuilder dated = new StringBuilder();
		while (dateTime.find()) {
			String d = dateTime.group(2);
			String c = dateTime.group(3);
			dateTime.appendReplacement(dated, Matcher.quoteReplacement("(" + d + " >= toDate('" + DAY.format(from) + "') AND " + d + " <= toDate('"
					+ DAY.format(to) + "')) AND (" + c + " >= toDateTime(" + f + ") AND " + c + " <= toDateTime(" + t + "))"));
		}
		dateTime.appendTail(dated);
		Matcher column = ONE_COLUMN.matcher(dated.toString());
		StringBuilder out = new StringBuilder();
		while (column.find()) {
			String c = column.group(2);
			String replacement = switch (column.group(1)) {
				case "timeFilter" -> c + " >= toDateTime(" + f + ") AND " + c + " <= toDateTime(" + t + ")";
				case "timeFrom" -> c + " >= toDateTime(" + f + ")";
				case "timeTo" -> c + " <= toDateTime(" + t + ")";
				default -> c + " >= toDate('" + DAY.format(from) + "') AND " + c + " <= toDate('" + DAY.format(to) + "')";
			};
			column.appendReplacement(out, Matcher.quoteReplacement(replacement));
		}
		column.appendTail(out);
		String expanded = out.toString()
				.replace("$__fromTime", "toDateTime(" + f + ")")
				.replace("$__toTime", "toDateTime(" + t + ")")
				.replace("$__interval_s", Long.toString(Math.max(1, intervalSeconds)))
				.replace("$__interval_ms", Long.toString(Math.max(1, intervalSeconds) * 1000));
		if (expanded.contains("$__")) {
			throw new IllegalArgumentException("a macro the plugin does not know (left as it is, ClickHouse would fail on it): " + expanded);
		}
		return expanded;
	}
}

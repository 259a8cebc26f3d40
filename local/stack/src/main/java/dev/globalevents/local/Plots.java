package dev.globalevents.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.globalevents.grafana.ClickHouseHttp;
import dev.globalevents.grafana.Dashboards;
import dev.globalevents.grafana.Macros;
import dev.globalevents.grafana.PanelQuery;
import tools.jackson.databind.JsonNode;

/**
 * The live page's plots: the time-series panels of Grafana's overview dashboard ({@code grafana/dashboards}, panels
 * 1–4: events/s per region, end-to-end latency p50/p99, processing latency, error rate), each run as Grafana runs it —
 * the panel's own SQL with the dashboard's variables and the ClickHouse plugin's macros expanded by {@link Macros} —
 * on the local ClickHouse (TrafficPeak's stand-in, through the grafana module's {@link ClickHouseHttp}), and shaped
 * per region for the page's uPlot charts. One
 * definition, two renderers. {@code GET /api/plots?minutes=15} (the range ends now; region All).
 * <p>
 * Also serves the charting library, uPlot from npm as its WebJar on the classpath ({@code GET /assets/…}): bundled
 * at build time, nothing fetched at run time.
 */
final class Plots {

	static final String PATH = "/api/plots";
	static final String ASSETS = "/assets/";
	/** The overview's panels the page draws, in its order. */
	static final List<Integer> PANELS = List.of(1, 2, 3, 4);
	static final int DEFAULT_MINUTES = 15;
	static final int MAX_MINUTES = 24 * 60;
	/** About as many points per series as Grafana asks for on a panel this wide. */
	static final int MAX_POINTS = 100;
	/** aggregate's windows are 10 s: a bucket holds whole windows. */
	static final long WINDOW_S = 10;

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final Pattern MINUTES = Pattern.compile("(?:^|&)minutes=([^&]*)");
	private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
	private static final Map<String, String> ASSET_FILES = Map.of("uplot.iife.min.js", "dist/uPlot.iife.min.js", "uPlot.min.css",
			"dist/uPlot.min.css");
	private static final String UPLOT = webJarRoot("org.webjars.npm", "uplot");

	private final String clickhouse;

	/** @param clickhouse the ClickHouse HTTP interface, e.g. {@code http://127.0.0.1:8123/} */
	Plots(String clickhouse) {
		this.clickhouse = clickhouse;
	}

	/**
	 * The bucket Grafana's {@code $__interval_s} would be for the range: the range over {@link #MAX_POINTS}, rounded
	 * up to whole windows of {@link #WINDOW_S} (so never less than a window).
	 */
	static long intervalSeconds(Duration range) {
		long perPoint = Math.ceilDiv(Math.max(1, range.toSeconds()), MAX_POINTS);
		return Math.max(1, Math.ceilDiv(perPoint, WINDOW_S)) * WINDOW_S;
	}

	/** The overview's panels for the range [to − minutes, to], region All. */
	Map<String, Object> plots(Instant to, int minutes) {
		Instant from = to.minus(Duration.ofMinutes(minutes));
		long interval = intervalSeconds(Duration.between(from, to));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("dashboard", Dashboards.OVERVIEW);
		answer.put("from", from.getEpochSecond());
		answer.put("to", to.getEpochSecond());
		answer.put("interval_s", interval);
		List<Object> panels = new ArrayList<>();
		for (int id : PANELS) {
			try { // read on each request (cheap): dashboards that do not read show as the panels' error, the stack runs on
				List<PanelQuery> queries = Dashboards.panel(Dashboards.OVERVIEW, id);
				Map<String, List<String>> variables = Dashboards.variables(Dashboards.OVERVIEW, Map.of()); // region All
				Map<String, Object> panel;
				try {
					List<ClickHouseHttp.Table> results = new ArrayList<>();
					for (PanelQuery query : queries) {
						results.add(new ClickHouseHttp(clickhouse).query(Macros.expand(query.rawSql(), from, to, interval, variables)));
					}
					panel = panel(queries, results);
				}
				catch (ClickHouseHttp.Failure | IllegalArgumentException e) { // shown on the panel, as Grafana shows a query's error
					panel = header(queries.getFirst());
					panel.put("error", e.getMessage());
				}
				panel.putAll(display(Dashboards.panelModel(Dashboards.OVERVIEW, id)));
				panels.add(panel);
			}
			catch (RuntimeException e) {
				Map<String, Object> failed = new LinkedHashMap<>();
				failed.put("id", id);
				failed.put("title", "panel " + id);
				failed.put("unit", "");
				failed.put("error", "the dashboards: " + e.getMessage());
				panels.add(failed);
			}
		}
		answer.put("panels", panels);
		return answer;
	}

	/**
	 * A panel's answers (one per query, in the panel's order) as Grafana's time-series format reads them, long to
	 * wide: column {@code time} first; the text columns (the {@code region}) label a series; the number columns are
	 * its values. One series per label set, with its own times (the union of its queries' times) and every value
	 * column it has; times in epoch seconds, a value that is no finite number (NULL, NaN) or that a query did not
	 * answer for that time is null, a gap.
	 */
	static Map<String, Object> panel(List<PanelQuery> queries, List<ClickHouseHttp.Table> results) {
		PanelQuery first = queries.getFirst();
		Set<String> columns = new LinkedHashSet<>();
		Map<String, TreeMap<Long, Map<String, Double>>> bySeries = new TreeMap<>();
		for (int q = 0; q < queries.size(); q++) {
			ClickHouseHttp.Table result = results.get(q);
			if (result.names().isEmpty() || !result.names().getFirst().equals("time")) {
				throw new IllegalArgumentException("panel " + first.panelId() + " of " + first.dashboardUid() + ", query " + queries.get(q).refId()
						+ ": no column time first: " + result.names());
			}
			List<Integer> labels = new ArrayList<>();
			List<Integer> values = new ArrayList<>();
			for (int i = 1; i < result.names().size(); i++) {
				(ClickHouseHttp.Table.numeric(result.types().get(i)) ? values : labels).add(i);
			}
			values.forEach(i -> columns.add(result.names().get(i)));
			for (List<String> row : result.rows()) {
				String name = labels.isEmpty() ? first.title() : String.join(" ", labels.stream().map(i -> String.valueOf(row.get(i))).toList());
				Map<String, Double> at = bySeries.computeIfAbsent(name, n -> new TreeMap<>())
						.computeIfAbsent(epochSeconds(row.getFirst()), t -> new LinkedHashMap<>());
				values.forEach(i -> at.put(result.names().get(i), number(row.get(i))));
			}
		}
		Map<String, Object> series = new LinkedHashMap<>();
		bySeries.forEach((name, times) -> {
			Map<String, List<Double>> values = new LinkedHashMap<>();
			for (String column : columns) {
				if (times.values().stream().anyMatch(at -> at.containsKey(column))) {
					values.put(column, times.values().stream().map(at -> at.get(column)).toList());
				}
			}
			Map<String, Object> one = new LinkedHashMap<>();
			one.put("time", List.copyOf(times.keySet()));
			one.put("values", values);
			series.put(name, one);
		});
		Map<String, Object> panel = header(first);
		panel.put("columns", List.copyOf(columns));
		panel.put("series", series);
		return panel;
	}

	/**
	 * How Grafana draws the panel, from its {@code fieldConfig.defaults}: the axis minimum, decimals, whether a gap is
	 * bridged ({@code custom.spanNulls}) and the thresholds it draws as lines (the targets: 100 ms, 1%).
	 */
	static Map<String, Object> display(JsonNode panel) {
		JsonNode defaults = panel.at("/fieldConfig/defaults");
		Map<String, Object> display = new LinkedHashMap<>();
		display.put("min", defaults.path("min").isNumber() ? defaults.path("min").asDouble() : null);
		display.put("decimals", defaults.path("decimals").isNumber() ? defaults.path("decimals").asInt() : null);
		display.put("span_nulls", defaults.at("/custom/spanNulls").asBoolean(false));
		List<Double> thresholds = new ArrayList<>();
		if (defaults.at("/custom/thresholdsStyle/mode").asString("off").contains("line")) {
			for (JsonNode step : defaults.at("/thresholds/steps")) {
				if (step.path("value").isNumber()) {
					thresholds.add(step.path("value").asDouble());
				}
			}
		}
		display.put("thresholds", thresholds);
		return display;
	}

	private static Map<String, Object> header(PanelQuery query) {
		Map<String, Object> panel = new LinkedHashMap<>();
		panel.put("id", query.panelId());
		panel.put("title", query.title());
		panel.put("unit", query.unit());
		return panel;
	}

	/** A DateTime as ClickHouse writes it in JSON (the stack's server runs in UTC), or epoch seconds. */
	static long epochSeconds(String time) {
		if (time.matches("\\d+")) {
			return Long.parseLong(time);
		}
		return LocalDateTime.parse(time, DATE_TIME).toEpochSecond(ZoneOffset.UTC);
	}

	/** A number as ClickHouse writes it in JSON (64-bit integers quoted, NULL as null, nan/inf as text): finite, or null. */
	static Double number(String value) {
		if (value == null) {
			return null;
		}
		try {
			double d = Double.parseDouble(value);
			return Double.isFinite(d) ? d : null;
		}
		catch (NumberFormatException e) {
			return null;
		}
	}

	/** {@code GET /api/plots?minutes=N} (1 to a day, default 15). */
	void handle(HttpExchange exchange) throws IOException {
		if (!exchange.getRequestMethod().equals("GET")) {
			Dashboard.problem(exchange, 405, "method-not-allowed", "GET " + PATH);
			return;
		}
		int minutes = DEFAULT_MINUTES;
		Matcher parameter = MINUTES.matcher(exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
		if (parameter.find()) {
			try {
				minutes = Integer.parseInt(parameter.group(1));
			}
			catch (NumberFormatException e) {
				minutes = -1;
			}
			if (minutes < 1 || minutes > MAX_MINUTES) {
				Dashboard.problem(exchange, 400, "bad-range", "minutes must be a whole number from 1 to " + MAX_MINUTES);
				return;
			}
		}
		Dashboard.respond(exchange, 200, "application/json", JSON.writeValueAsBytes(plots(Instant.now(), minutes)));
	}

	/** {@code GET /assets/uplot.iife.min.js} and {@code /assets/uPlot.min.css}, from uPlot's WebJar. */
	void asset(HttpExchange exchange) throws IOException {
		String name = exchange.getRequestURI().getPath().substring(ASSETS.length());
		byte[] body = asset(name);
		if (body == null) {
			Dashboard.problem(exchange, 404, "not-found", "no asset " + name);
			return;
		}
		Dashboard.respond(exchange, 200, name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8", body);
	}

	/** An asset's bytes from the classpath, or null when there is no such asset. */
	static byte[] asset(String name) {
		String file = ASSET_FILES.get(name);
		if (file == null) {
			return null;
		}
		try (InputStream in = Plots.class.getResourceAsStream(UPLOT + file)) {
			return in == null ? null : in.readAllBytes();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Where a WebJar keeps its files: {@code /META-INF/resources/webjars/<artifact>/<version>/}, version from its pom.properties. */
	private static String webJarRoot(String group, String artifact) {
		try (InputStream in = Plots.class.getResourceAsStream("/META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
			if (in == null) {
				throw new IllegalStateException("the WebJar " + group + ":" + artifact + " is not on the classpath");
			}
			Properties properties = new Properties();
			properties.load(in);
			return "/META-INF/resources/webjars/" + artifact + "/" + properties.getProperty("version") + "/";
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}

package dev.globalevents.grafana;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboards of {@code grafana/dashboards}, read from the classpath as this module packages them (the same files
 * Grafana provisions), and their panels' queries.
 */
public final class Dashboards {

	/** The dashboard files, by name (without .json). */
	public static final List<String> FILES = List.of("global-overview", "region-drilldown", "history");

	/** The overview's uid; the live page plots its panels. */
	public static final String OVERVIEW = "globalevents-overview";

	/** About how many points Grafana asks for on a panel (its width in pixels). */
	public static final int MAX_POINTS = 500;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Dashboards() {
	}

	/** A dashboard's JSON model. */
	public static JsonNode dashboard(String file) {
		try (InputStream in = Dashboards.class.getResourceAsStream("/grafana/dashboards/" + file + ".json")) {
			if (in == null) {
				throw new IllegalArgumentException("no dashboard " + file + " on the classpath");
			}
			return JSON.readTree(in);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Every query of every panel of every dashboard, rows included. */
	public static List<PanelQuery> queries() {
		List<PanelQuery> queries = new ArrayList<>();
		for (String file : FILES) {
			JsonNode dashboard = dashboard(file);
			panels(dashboard.path("uid").asString(), dashboard.path("panels"), queries);
		}
		return queries;
	}

	/** The queries of one panel. */
	public static List<PanelQuery> panel(String dashboardUid, int panelId) {
		List<PanelQuery> found = queries().stream().filter(q -> q.dashboardUid().equals(dashboardUid) && q.panelId() == panelId).toList();
		if (found.isEmpty()) {
			throw new IllegalArgumentException("no panel " + panelId + " with a query in dashboard " + dashboardUid);
		}
		return found;
	}

	/** The dashboard with this uid. */
	public static JsonNode byUid(String uid) {
		return FILES.stream().map(Dashboards::dashboard).filter(d -> d.path("uid").asString().equals(uid)).findFirst()
				.orElseThrow(() -> new IllegalArgumentException("no dashboard with uid " + uid));
	}

	/** A panel's JSON model (rows' panels included). */
	public static JsonNode panelModel(String dashboardUid, int panelId) {
		List<JsonNode> all = new ArrayList<>();
		flatten(byUid(dashboardUid).path("panels"), all);
		return all.stream().filter(p -> p.path("id").asInt() == panelId).findFirst()
				.orElseThrow(() -> new IllegalArgumentException("no panel " + panelId + " in dashboard " + dashboardUid));
	}

	/** Every panel of a dashboard, those inside rows included, in file order. */
	public static List<JsonNode> panels(JsonNode dashboard) {
		List<JsonNode> all = new ArrayList<>();
		flatten(dashboard.path("panels"), all);
		return all;
	}

	/** The regions the dashboards offer (the overview's {@code region} variable): the regions the alerts know too. */
	public static List<String> regions() {
		for (JsonNode variable : byUid(OVERVIEW).at("/templating/list")) {
			if (variable.path("name").asString().equals("region")) {
				return List.of(variable.path("query").asString().split(","));
			}
		}
		throw new IllegalStateException("the overview has no region variable");
	}

	/**
	 * A dashboard's variables as Grafana hands them to the panels: each custom variable at All unless {@code chosen}
	 * names its values, each constant at its value.
	 */
	public static Map<String, List<String>> variables(String dashboardUid, Map<String, List<String>> chosen) {
		Map<String, List<String>> values = new LinkedHashMap<>();
		for (JsonNode variable : byUid(dashboardUid).at("/templating/list")) {
			String name = variable.path("name").asString();
			switch (variable.path("type").asString()) {
				case "constant" -> values.put(name, List.of(variable.path("query").asString()));
				case "custom" -> values.put(name, chosen.getOrDefault(name, List.of(Macros.ALL)));
				default -> throw new IllegalArgumentException("variable " + name + " of " + dashboardUid + ": only custom and constant variables are expected");
			}
		}
		return values;
	}

	/**
	 * The {@code $__interval_s} Grafana would use for a panel over [from, to]: the range over about {@link #MAX_POINTS}
	 * points, never below the panel's minimum interval ({@code interval}, e.g. 10s, 1h, 1d).
	 */
	public static long intervalSeconds(PanelQuery query, Instant from, Instant to) {
		long perPoint = Math.ceilDiv(Math.max(1, Duration.between(from, to).toSeconds()), MAX_POINTS);
		return Math.max(perPoint, seconds(panelModel(query.dashboardUid(), query.panelId()).path("interval").asString("")));
	}

	/** A Grafana duration (10s, 5m, 1h, 1d, 1w) in seconds; 1 when empty. */
	static long seconds(String duration) {
		if (duration.isBlank()) {
			return 1;
		}
		long n = Long.parseLong(duration.substring(0, duration.length() - 1));
		return switch (duration.charAt(duration.length() - 1)) {
			case 's' -> n;
			case 'm' -> n * 60;
			case 'h' -> n * 3600;
			case 'd' -> n * 86400;
			case 'w' -> n * 604800;
			default -> throw new IllegalArgumentException("not a Grafana duration: " + duration);
		};
	}

	private static void flatten(JsonNode panels, List<JsonNode> into) {
		for (JsonNode panel : panels) {
			into.add(panel);
			flatten(panel.path("panels"), into);
		}
	}

	private static void panels(String uid, JsonNode panels, List<PanelQuery> into) {
		for (JsonNode panel : panels) {
			panels(uid, panel.path("panels"), into); // a collapsed row keeps its panels inside
			for (JsonNode target : panel.path("targets")) {
				into.add(new PanelQuery(uid, panel.path("id").asInt(), panel.path("title").asString(), panel.path("type").asString(),
						panel.at("/fieldConfig/defaults/unit").asString(""), target.path("refId").asString(),
						target.path("format").asInt(1), target.path("rawSql").asString()));
			}
		}
	}
}

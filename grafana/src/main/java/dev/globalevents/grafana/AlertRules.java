package dev.globalevents.grafana;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The alert rules of {@code grafana/provisioning/alerting/rules.yaml}, read from the classpath as this module packages
 * them (the file Grafana provisions).
 */
public final class AlertRules {

	private static final YAMLMapper YAML = YAMLMapper.builder().build();

	private AlertRules() {
	}

	/** A provisioning file of this module as JSON (e.g. {@code alerting/rules.yaml}, {@code datasources/trafficpeak.yaml}). */
	public static JsonNode provisioning(String path) {
		try (InputStream in = AlertRules.class.getResourceAsStream("/grafana/provisioning/" + path)) {
			if (in == null) {
				throw new IllegalArgumentException("no provisioning file " + path + " on the classpath");
			}
			return YAML.readTree(in);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Every rule of every group, in file order. */
	public static List<AlertRule> all() {
		List<AlertRule> rules = new ArrayList<>();
		for (JsonNode group : provisioning("alerting/rules.yaml").path("groups")) {
			Duration every = Duration.ofSeconds(Dashboards.seconds(group.path("interval").asString()));
			for (JsonNode rule : group.path("rules")) {
				rules.add(rule(rule, every));
			}
		}
		return rules;
	}

	/** The rule with this uid. */
	public static AlertRule byUid(String uid) {
		return all().stream().filter(r -> r.uid().equals(uid)).findFirst().orElseThrow(() -> new IllegalArgumentException("no alert rule " + uid));
	}

	/** A rule of the shape A (data source query) → B (reduce A) → C (threshold B), condition C; anything else is refused. */
	static AlertRule rule(JsonNode rule, Duration every) {
		String uid = rule.path("uid").asString();
		Map<String, JsonNode> data = new LinkedHashMap<>();
		for (JsonNode step : rule.path("data")) {
			data.put(step.path("refId").asString(), step);
		}
		JsonNode a = data.get("A");
		JsonNode b = data.get("B");
		JsonNode c = data.get("C");
		if (data.size() != 3 || a == null || b == null || c == null || !rule.path("condition").asString().equals("C")
				|| !b.at("/model/type").asString().equals("reduce") || !b.at("/model/expression").asString().equals("A")
				|| !c.at("/model/type").asString().equals("threshold") || !c.at("/model/expression").asString().equals("B")) {
			throw new IllegalArgumentException("rule " + uid + " is not A (query) -> B (reduce A) -> C (threshold B), condition C");
		}
		JsonNode evaluator = c.at("/model/conditions/0/evaluator");
		List<Double> params = new ArrayList<>();
		evaluator.path("params").forEach(p -> params.add(p.asDouble()));
		AlertRule.Query query = new AlertRule.Query(a.path("datasourceUid").asString(), a.at("/model/format").asInt(-1), a.at("/model/rawSql").asString(),
				Duration.ofSeconds(a.at("/relativeTimeRange/from").asLong()), Duration.ofSeconds(a.at("/relativeTimeRange/to").asLong()),
				Duration.ofMillis(a.at("/model/intervalMs").asLong(1000)));
		return new AlertRule(uid, rule.path("title").asString(), query, b.at("/model/reducer").asString(),
				new AlertRule.Threshold(evaluator.path("type").asString(), List.copyOf(params)), every,
				Duration.ofSeconds(Dashboards.seconds(rule.path("for").asString("0s"))), rule.path("noDataState").asString("NoData"),
				strings(rule.path("labels")), strings(rule.path("annotations")), rule.path("dashboardUid").asString(), rule.path("panelId").asInt());
	}

	private static Map<String, String> strings(JsonNode map) {
		Map<String, String> strings = new LinkedHashMap<>();
		map.properties().forEach(e -> strings.put(e.getKey(), e.getValue().asString()));
		return strings;
	}
}

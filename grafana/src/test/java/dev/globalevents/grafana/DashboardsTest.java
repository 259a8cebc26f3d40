package dev.globalevents.grafana;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboards' JSON models hold together as Grafana (≥ 11.6) loads them: stable unique uids, the provisioned data
 * source, a 24-column grid without overlaps, every variable used, every panel titled, described and with a unit, and
 * SQL limited to what runs on ClickHouse 18.16 and TrafficPeak.
 */
class DashboardsTest {

	static Stream<String> files() {
		return Dashboards.FILES.stream();
	}

	@Test
	void everyDashboardHasItsOwnStableUid() {
		List<String> uids = Dashboards.FILES.stream().map(f -> Dashboards.dashboard(f).path("uid").asString()).toList();

		assertThat(uids).containsExactly("globalevents-overview", "globalevents-region-drilldown", "globalevents-history");
		assertThat(uids).allSatisfy(uid -> assertThat(uid).matches("[a-z0-9-]{8,40}"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("files")
	void theModelIsWhatGrafanaProvisionsAsItIs(String file) {
		JsonNode dashboard = Dashboards.dashboard(file);

		assertThat(dashboard.path("id").isNull()).as("id null: Grafana assigns it").isTrue();
		assertThat(dashboard.path("schemaVersion").asInt()).isEqualTo(39);
		assertThat(dashboard.path("title").asString()).isNotBlank();
		assertThat(dashboard.path("description").asString()).isNotBlank();
		assertThat(dashboard.path("tags").toString()).contains("globalevents");
		assertThat(dashboard.at("/time/from").asString()).startsWith("now-");
		assertThat(dashboard.path("templating").has("list")).isTrue();
		assertThat(dashboard.path("annotations").has("list")).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("files")
	void everyPanelAndQueryReadsTheProvisionedTrafficPeakDataSource(String file) {
		JsonNode source = AlertRules.provisioning("datasources/trafficpeak.yaml").at("/datasources/0");
		for (JsonNode panel : Dashboards.panels(Dashboards.dashboard(file))) {
			if (panel.path("targets").isEmpty()) {
				continue;
			}
			assertThat(panel.at("/datasource/uid").asString()).as(panel.path("title").asString()).isEqualTo(source.path("uid").asString());
			assertThat(panel.at("/datasource/type").asString()).isEqualTo(source.path("type").asString());
			for (JsonNode target : panel.path("targets")) {
				assertThat(target.at("/datasource/uid").asString()).isEqualTo("trafficpeak");
				assertThat(target.path("editorType").asString()).isEqualTo("sql");
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("files")
	void panelsFitTheGridWithoutOverlapping(String file) {
		List<JsonNode> panels = Dashboards.panels(Dashboards.dashboard(file));
		Set<Integer> ids = new HashSet<>();
		for (JsonNode panel : panels) {
			JsonNode grid = panel.path("gridPos");
			String title = panel.path("title").asString();
			assertThat(ids.add(panel.path("id").asInt())).as("panel id %s unique", panel.path("id")).isTrue();
			assertThat(grid.path("w").asInt()).as(title).isBetween(1, 24);
			assertThat(grid.path("h").asInt()).as(title).isPositive();
			assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(title).isLessThanOrEqualTo(24);
		}
		for (int i = 0; i < panels.size(); i++) {
			for (int j = i + 1; j < panels.size(); j++) {
				assertThat(overlap(panels.get(i).path("gridPos"), panels.get(j).path("gridPos")))
						.as("%s and %s overlap", panels.get(i).path("title").asString(), panels.get(j).path("title").asString()).isFalse();
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("files")
	void everyPanelHasATitleADescriptionAndAUnit(String file) {
		for (JsonNode panel : Dashboards.panels(Dashboards.dashboard(file))) {
			String title = panel.path("title").asString();
			assertThat(title).isNotBlank();
			assertThat(panel.path("description").asString()).as(title).isNotBlank();
			if (!panel.path("type").asString().equals("text")) { // a text panel shows no numbers
				assertThat(panel.at("/fieldConfig/defaults/unit").asString()).as(title).isNotBlank();
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("files")
	void everyVariableIsUsedAndRegionListsEveryRegionWithAll(String file) {
		JsonNode dashboard = Dashboards.dashboard(file);
		String sql = String.join("\n", Dashboards.panels(dashboard).stream()
				.flatMap(p -> p.path("targets").valueStream().map(t -> t.path("rawSql").asString())).toList());
		List<String> names = new ArrayList<>();
		for (JsonNode variable : dashboard.at("/templating/list")) {
			String name = variable.path("name").asString();
			names.add(name);
			assertThat(sql).as("variable %s used", name).containsPattern("\\$(\\{)?" + name + "\\b");
			if (name.equals("region")) {
				assertThat(variable.path("type").asString()).isEqualTo("custom");
				assertThat(variable.path("includeAll").asBoolean()).isTrue();
				assertThat(variable.path("multi").asBoolean()).isTrue();
				assertThat(variable.path("query").asString()).isEqualTo("us-east,eu-west,ap-south");
			}
		}
		assertThat(names).contains("region");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("files")
	void timeSeriesPanelsAskForTimeSeriesAndTheOthersForTables(String file) {
		for (JsonNode panel : Dashboards.panels(Dashboards.dashboard(file))) {
			for (JsonNode target : panel.path("targets")) {
				int format = panel.path("type").asString().equals("timeseries") ? 0 : 1;
				assertThat(target.path("format").asInt()).as(panel.path("title").asString()).isEqualTo(format);
			}
		}
	}

	/** Every query of every dashboard, named for the test report. */
	static Stream<Named<PanelQuery>> queries() {
		return Dashboards.queries().stream().map(q -> Named.of(q.dashboardUid() + " #" + q.panelId() + q.refId() + " " + q.title(), q));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("queries")
	void everyQueryIsBoundedInTimeAndPortable(PanelQuery query) {
		String sql = query.rawSql();

		assertThat(sql).as("TrafficPeak needs a test on the primary timestamp").containsAnyOf("$__timeFilter(timestamp)", "timestamp >= $__fromTime");
		assertThat(sql).as("the end of the range, not the clock: a past range reads as it did").doesNotContainIgnoringCase("now()");
		assertThat(sql).as("no FINAL: TrafficPeak's tables are no ReplacingMergeTree; the queries tolerate a row delivered twice")
				.doesNotContainPattern("(?i)\\bFINAL\\b");
		assertThat(sql).doesNotContainPattern("(?i)WITH FILL|OVER\\s*\\(|DateTime64|toStartOfInterval");
		for (List<String> regions : List.of(List.of(Macros.ALL), List.of("eu-west"))) {
			String expanded = Macros.expand(sql, Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), 10,
					Dashboards.variables(query.dashboardUid(), Map.of("region", regions)));
			assertThat(expanded).doesNotContain("$");
		}
	}

	/** The live page (local/stack) plots these four: their ids, shapes and columns are a contract. */
	@Test
	void theOverviewsFirstFourPanelsAreTheLivePagesTimeSeries() {
		assertThat(Dashboards.byUid(Dashboards.OVERVIEW).path("title").asString()).isNotBlank();
		Map<Integer, String> titles = Map.of(1, "Events/s per region", 2, "End-to-end latency", 3, "Processing latency", 4, "Error rate");
		titles.forEach((id, title) -> {
			PanelQuery a = Dashboards.panel(Dashboards.OVERVIEW, id).getFirst();
			assertThat(a.refId()).isEqualTo("A");
			assertThat(a.type()).isEqualTo("timeseries");
			assertThat(a.timeSeries()).isTrue();
			assertThat(a.title()).startsWith(title);
		});
	}

	private static boolean overlap(JsonNode a, JsonNode b) {
		return a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt() && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
				&& a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt() && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
	}
}

package dev.globalevents.local;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.globalevents.grafana.ClickHouseHttp;
import dev.globalevents.grafana.PanelQuery;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The live page's plots: a panel's ClickHouse answers shaped per region, how it is drawn, the bucket size, the bundled uPlot. */
class PlotsTest {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final PanelQuery LATENCY = new PanelQuery("globalevents-overview", 2, "End-to-end latency p50 / p99", "timeseries", "ms",
			"A", 0, "SELECT …");

	@Test
	void rowsOfATimeSeriesPanelBecomeOneSeriesPerRegionWithItsOwnTimesAndEveryValueColumn() throws Exception {
		ClickHouseHttp.Table table = table(List.of("time DateTime", "region String", "p50 Nullable(Float64)", "p99 Nullable(Float64)"),
				row("2026-01-02 03:04:00", "us-east", "10", "30.25"),
				row("2026-01-02 03:04:00", "eu-west", "12.5", "40"),
				row("2026-01-02 03:04:10", "us-east", null, "nan"));

		Map<String, Object> panel = Plots.panel(List.of(LATENCY), List.of(table));

		assertThat(JSON.readTree(JSON.writeValueAsString(panel))).isEqualTo(JSON.readTree("""
				{"id":2,"title":"End-to-end latency p50 / p99","unit":"ms","columns":["p50","p99"],
				 "series":{"eu-west":{"time":[1767323040],"values":{"p50":[12.5],"p99":[40.0]}},
				           "us-east":{"time":[1767323040,1767323050],"values":{"p50":[10.0,null],"p99":[30.25,null]}}}}
				"""));
	}

	@Test
	void thePanelsQueriesAreMergedPerSeriesOnTheirTimesAsGrafanaShowsThemInOnePanel() throws Exception {
		PanelQuery b = new PanelQuery(LATENCY.dashboardUid(), 2, LATENCY.title(), "timeseries", "ms", "B", 0, "SELECT …");
		ClickHouseHttp.Table p50 = table(List.of("time DateTime", "region String", "p50 Nullable(Float64)"),
				row("2026-01-02 03:04:00", "us-east", "10"), row("2026-01-02 03:04:10", "us-east", "11"));
		ClickHouseHttp.Table p95 = table(List.of("time DateTime", "region String", "p95 Nullable(Float64)"),
				row("2026-01-02 03:04:10", "us-east", "20"), row("2026-01-02 03:04:20", "us-east", "21"), row("2026-01-02 03:04:20", "eu-west", "22"));

		Map<String, Object> panel = Plots.panel(List.of(LATENCY, b), List.of(p50, p95));

		assertThat(JSON.readTree(JSON.writeValueAsString(panel))).isEqualTo(JSON.readTree("""
				{"id":2,"title":"End-to-end latency p50 / p99","unit":"ms","columns":["p50","p95"],
				 "series":{"eu-west":{"time":[1767323060],"values":{"p95":[22.0]}},
				           "us-east":{"time":[1767323040,1767323050,1767323060],"values":{"p50":[10.0,11.0,null],"p95":[null,20.0,21.0]}}}}
				"""));
	}

	@Test
	void sixtyFourBitIntegersComeQuotedEveryTextColumnLabelsAndAPanelWithoutLabelsIsOneSeries() {
		PanelQuery total = new PanelQuery("globalevents-overview", 9, "Events", "timeseries", "short", "A", 0, "SELECT …");
		ClickHouseHttp.Table unlabelled = table(List.of("time DateTime", "events UInt64"),
				row("2026-01-02 03:04:00", "18446744073709551615"), row("2026-01-02 03:04:10", "7"));
		ClickHouseHttp.Table perService = table(List.of("time DateTime", "region String", "service String", "cpu Float64"),
				row("2026-01-02 03:04:00", "us-east", "validate", "0.5"));

		JsonNode one = JSON.valueToTree(Plots.panel(List.of(total), List.of(unlabelled)));
		JsonNode labelled = JSON.valueToTree(Plots.panel(List.of(total), List.of(perService)));

		assertThat(one.at("/series/Events/values/events").toString()).isEqualTo("[1.8446744073709552E19,7.0]");
		assertThat(one.at("/columns").toString()).isEqualTo("[\"events\"]");
		assertThat(labelled.at("/series/us-east validate/values/cpu").toString()).isEqualTo("[0.5]");
	}

	@Test
	void aPanelWhoseFirstColumnIsNotTimeIsRefused() {
		ClickHouseHttp.Table table = table(List.of("region String", "time DateTime"));

		assertThatThrownBy(() -> Plots.panel(List.of(LATENCY), List.of(table))).hasMessageContaining("no column time first");
	}

	@Test
	void thePageDrawsAPanelAsItsFieldConfigSays() {
		tools.jackson.databind.JsonNode panel = tools.jackson.databind.json.JsonMapper.builder().build().readTree("""
				{"id":3,"fieldConfig":{"defaults":{"unit":"ms","min":0,"custom":{"spanNulls":false,"thresholdsStyle":{"mode":"line"}},
				 "thresholds":{"mode":"absolute","steps":[{"color":"green","value":null},{"color":"red","value":100}]}}}}
				""");

		assertThat(Plots.display(panel)).containsEntry("min", 0.0).containsEntry("span_nulls", false).containsEntry("thresholds", List.of(100.0))
				.containsEntry("decimals", null);
	}

	@Test
	void theBucketIsTheRangeOverAHundredPointsInWholeTenSecondWindows() {
		assertThat(Plots.intervalSeconds(Duration.ofMinutes(1))).isEqualTo(10);
		assertThat(Plots.intervalSeconds(Duration.ofMinutes(15))).isEqualTo(10);
		assertThat(Plots.intervalSeconds(Duration.ofMinutes(60))).isEqualTo(40);
		assertThat(Plots.intervalSeconds(Duration.ofHours(24))).isEqualTo(870);
	}

	@Test
	void uPlotIsServedFromItsWebJarOnTheClasspath() {
		assertThat(new String(Plots.asset("uplot.iife.min.js"), StandardCharsets.UTF_8)).contains("uPlot");
		assertThat(new String(Plots.asset("uPlot.min.css"), StandardCharsets.UTF_8)).contains(".uplot");
		assertThat(Plots.asset("../../pom.properties")).isNull();
	}

	/** A ClickHouse answer: columns as "name type", rows as text (null for NULL), as ClickHouseHttp reads JSONCompact. */
	@SafeVarargs
	private static ClickHouseHttp.Table table(List<String> columns, List<String>... rows) {
		return new ClickHouseHttp.Table(columns.stream().map(c -> c.substring(0, c.indexOf(' '))).toList(),
				columns.stream().map(c -> c.substring(c.indexOf(' ') + 1)).toList(), List.of(rows));
	}

	private static List<String> row(String... values) {
		return Arrays.asList(values);
	}
}

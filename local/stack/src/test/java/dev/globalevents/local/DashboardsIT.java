package dev.globalevents.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.globalevents.grafana.AlertEvaluation;
import dev.globalevents.grafana.AlertRule;
import dev.globalevents.grafana.AlertRules;
import dev.globalevents.grafana.ClickHouseHttp;
import dev.globalevents.grafana.Dashboards;
import dev.globalevents.grafana.Macros;
import dev.globalevents.grafana.PanelCheck;
import dev.globalevents.grafana.PanelQuery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboards ({@code grafana/dashboards}) on data the real pipeline produced: events sent through the
 * gateway of the packaged stack, validated, counted by aggregate in 10 s windows, written by export-metrics into the
 * stack's ClickHouse (TrafficPeak's stand-in). Every query of every panel of every dashboard, expanded as Grafana
 * expands it ({@link Macros}) for the last 15 minutes with region All and region us-east, runs without error and
 * answers the shape its panel reads ({@link PanelCheck}: a time series {@code time} DateTime first, labels, numbers);
 * the overview's four plotted panels answer rows. Then the live page in headless Chromium draws those four panels
 * with data points. Last, every Grafana alert rule ({@link AlertRules}) is evaluated on the same data as Grafana
 * evaluates it ({@link AlertEvaluation}): it runs, it answers one series per region, and it says what this one-region
 * stack is: us-east publishes windows and exports without a spill, eu-west and ap-south publish nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardsIT extends StackTest {

	private static final Duration RANGE = Duration.ofMinutes(15);

	static String clickhouse;
	/** When the pipeline's windows were in ClickHouse: the alert rules are evaluated as Grafana would have then. */
	static Instant windowsSeen;

	@BeforeAll
	static void windowsFromThePipelineInClickHouse() {
		clickhouse = stack.description().get("clickhouse").asText();
		// the stack runs without generate's ticks: this test's own events, through the gateway, make the windows
		try (SteadySender sender = new SteadySender(stack, 20)) {
			// aggregate closes a 10 s window after its allowed lateness, export-metrics writes it in its next batch
			await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> countedWindows() >= 3);
			windowsSeen = Instant.now();
			System.out.printf("[dashboards] %d events accepted; %d windows of %s with events in ClickHouse%n", sender.acceptedCount(),
					countedWindows(), PackagedStack.REGION);
		}
	}

	private static long countedWindows() {
		return Long.parseLong(new ClickHouseHttp(clickhouse).query("SELECT count() FROM globalevents.metrics FINAL WHERE kind = 'window'"
				+ " AND region = '" + PackagedStack.REGION + "' AND event_count > 0 AND timestamp >= now() - " + RANGE.toSeconds()).rows().getFirst().getFirst());
	}

	@Test
	@Order(1)
	void everyPanelQueryOfEveryDashboardRunsOnTheWindowsThePipelineWrote() {
		List<PanelQuery> queries = Dashboards.queries();
		assertThat(queries).as("panel queries of " + Dashboards.FILES).isNotEmpty();
		Instant to = Instant.now();
		Instant from = to.minus(RANGE);
		List<String> failures = new ArrayList<>();
		int ran = 0;
		for (PanelQuery query : queries) {
			for (String region : List.of(Macros.ALL, PackagedStack.REGION)) {
				String where = query.dashboardUid() + " panel " + query.panelId() + " (" + query.title() + ") " + query.refId() + ", region " + region;
				PanelCheck.Result result;
				try {
					result = PanelCheck.run(clickhouse, query, from, to, Dashboards.intervalSeconds(query, from, to),
							Dashboards.variables(query.dashboardUid(), Map.of("region", List.of(region))));
					ran++;
				}
				catch (ClickHouseHttp.Failure e) {
					failures.add(where + ": " + e.getMessage());
					continue;
				}
				failures.addAll(result.problems().stream().map(problem -> where + ": " + problem).toList());
				if (query.dashboardUid().equals(Dashboards.OVERVIEW) && Plots.PANELS.contains(query.panelId())) {
					int regionColumn = result.table().column("region");
					if (result.rows().isEmpty()) {
						failures.add(where + ": no rows\n  " + result.sql());
					}
					else if (regionColumn < 0 || !result.rows().stream().allMatch(row -> region.equals(Macros.ALL) || row.get(regionColumn).equals(region))) {
						failures.add(where + ": no region column, or rows of other regions: " + result.rows());
					}
				}
			}
		}
		System.out.printf("[dashboards] %d panel queries of %s ran with region All and %s (%d statements) on ClickHouse%n", queries.size(),
				Dashboards.FILES, PackagedStack.REGION, ran);
		assertThat(failures).as("panel queries that failed or do not answer what their panel reads").isEmpty();
	}

	@Test
	@Order(2)
	void theEventsPerSecondPanelShowsTheRateThePipelineCounted() {
		PanelQuery events = Dashboards.panel(Dashboards.OVERVIEW, 1).getFirst();
		Instant to = Instant.now();
		PanelCheck.Result result = PanelCheck.run(clickhouse, events, to.minus(RANGE), to, Plots.intervalSeconds(RANGE),
				Dashboards.variables(Dashboards.OVERVIEW, Map.of("region", List.of(PackagedStack.REGION))));

		int rate = result.table().column("events_per_s");
		assertThat(result.rows()).as("events/s of " + PackagedStack.REGION).anySatisfy(row -> assertThat(Plots.number(row.get(rate))).isPositive());
	}

	@Test
	@Order(3)
	void theLivePageInHeadlessChromiumPlotsTheFourOverviewPanelsWithData() throws Exception {
		JsonNode plots = Client.JSON.readTree(Client.get(stack.dashboard().resolve(Plots.PATH + "?minutes=15")));
		assertThat(plots.get("panels")).extracting(p -> p.get("id").asInt()).containsExactlyElementsOf(Plots.PANELS);
		for (JsonNode panel : plots.get("panels")) {
			int id = panel.get("id").asInt();
			assertThat(panel.has("error")).as(panel.path("error").asText()).isFalse();
			assertThat(panel.get("title").asText()).isEqualTo(Dashboards.panel(Dashboards.OVERVIEW, id).getFirst().title());
			assertThat(panel.at("/series/" + PackagedStack.REGION + "/time").size()).as("points of panel " + id).isPositive();
		}

		String dom = Chromium.dom(stack.dashboard());
		Map<Integer, Integer> points = new LinkedHashMap<>();
		for (int id : Plots.PANELS) {
			Matcher figure = Pattern.compile("<figure[^>]*data-plot=\"" + id + "\"[^>]*>").matcher(dom);
			assertThat(figure.find()).as("a plot for panel " + id + " in\n" + dom).isTrue();
			Matcher drawn = Pattern.compile("data-points=\"(\\d+)\"").matcher(figure.group());
			points.put(id, drawn.find() ? Integer.parseInt(drawn.group(1)) : 0);
		}
		System.out.printf("[dashboards] points drawn per panel on the live page: %s%n", points);
		assertThat(points).as("points each plot drew (the DOM:\n" + dom + ")").allSatisfy((id, n) -> assertThat(n).isPositive());
		assertThat(dom.split("<canvas", -1).length - 1).as("uPlot's canvases").isEqualTo(Plots.PANELS.size());
	}

	@Test
	@Order(4)
	void everyAlertRuleEvaluatesOnThePipelinesDataAndSeesTheStackAsItIs() {
		Map<String, AlertEvaluation.Evaluation> evaluations = new LinkedHashMap<>();
		List<String> failures = new ArrayList<>();
		for (AlertRule rule : AlertRules.all()) {
			try {
				AlertEvaluation.Evaluation evaluation = AlertEvaluation.evaluate(new ClickHouseHttp(clickhouse), rule, windowsSeen);
				evaluations.put(rule.title(), evaluation);
				System.out.printf("[dashboards] alert %s at %s: %s, breached for %s%n", rule.title(), windowsSeen, evaluation.values(), evaluation.breached());
				if (evaluation.instances().stream().noneMatch(i -> PackagedStack.REGION.equals(i.labels().get("region")))) {
					failures.add(rule.title() + ": no series for " + PackagedStack.REGION + "\n  " + evaluation.sql());
				}
			}
			catch (ClickHouseHttp.Failure | IllegalStateException e) {
				failures.add(rule.title() + ": " + e.getMessage());
			}
		}
		assertThat(failures).as("alert rules that failed on the pipeline's data or missed its region").isEmpty();

		Map<String, String> usEast = Map.of("region", PackagedStack.REGION);
		Map<String, String> euWest = Map.of("region", "eu-west");
		Map<String, String> apSouth = Map.of("region", "ap-south");
		// the regions this stack does not run: no rows, no windows
		assertThat(evaluations.get("RegionNoData").breached()).containsExactlyInAnyOrder(euWest, apSouth);
		assertThat(evaluations.get("RegionStale").breached()).containsExactlyInAnyOrder(euWest, apSouth);
		// us-east: its windows closed, export-metrics wrote them without spilling, the backlog did not grow for 5 minutes
		assertThat(evaluations.get("ExportSpillNotEmpty").breached()).doesNotContain(usEast);
		assertThat(evaluations.get("BacklogGrowing").breached()).doesNotContain(usEast);
		assertThat(evaluations.get("EventErrorRateHigh").values().get(usEast)).isBetween(0.0, 1.0);
		assertThat(evaluations.get("ProcessingLatencyHigh").values().get(usEast)).isPositive();
	}
}

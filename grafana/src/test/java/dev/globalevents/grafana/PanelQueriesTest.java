package dev.globalevents.grafana;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every panel query of every dashboard, expanded as Grafana expands it over the dashboard's own range ending at the
 * normal data set's now, with region All, one region and two, runs on ClickHouse 18.16 over the metrics table and
 * answers rows of the shape its panel reads.
 */
@ExtendWith(TrafficPeakStandIn.Extension.class)
class PanelQueriesTest {

	static TrafficPeakStandIn standIn;

	@BeforeAll
	static void start(TrafficPeakStandIn started) {
		standIn = started;
	}

	static Stream<Arguments> queriesAndRegions() {
		List<Named<List<String>>> choices = List.of(Named.of("region All", List.of(Macros.ALL)), Named.of("region eu-west", List.of("eu-west")),
				Named.of("regions us-east, ap-south", List.of("us-east", "ap-south")));
		return Dashboards.queries().stream().flatMap(q -> choices.stream()
				.map(c -> Arguments.of(Named.of(q.dashboardUid() + " #" + q.panelId() + q.refId() + " " + q.title(), q), c)));
	}

	@ParameterizedTest(name = "{0}, {1}")
	@MethodSource("queriesAndRegions")
	void runsAndAnswersTheColumnsItsPanelReads(PanelQuery query, List<String> regions) {
		Instant to = DataSet.T0;
		Instant from = to.minus(range(query));
		PanelCheck.Result result = PanelCheck.run(standIn.url(), query, from, to, Dashboards.intervalSeconds(query, from, to),
				Dashboards.variables(query.dashboardUid(), Map.of("region", regions)));

		assertThat(result.problems()).as(result.sql()).isEmpty();
		assertThat(result.rows()).as("rows on the normal data set: " + result.sql()).isNotEmpty();
		int region = result.table().column("region");
		if (region >= 0 && !regions.equals(List.of(Macros.ALL))) {
			assertThat(result.rows()).extracting(row -> row.get(region)).containsOnly(regions.toArray(String[]::new));
		}
	}

	/** The live page (local/stack) reads these columns by name and order: a contract. */
	@Test
	void theOverviewsFirstFourPanelsAnswerTheirContractsColumns() {
		Map<Integer, List<String>> columns = Map.of(1, List.of("time", "region", "events_per_s"), 2, List.of("time", "region", "p50", "p99"), 3,
				List.of("time", "region", "processing_mean"), 4, List.of("time", "region", "error_rate"));
		columns.forEach((id, names) -> {
			PanelCheck.Result result = PanelCheck.run(standIn.url(), Dashboards.panel(Dashboards.OVERVIEW, id).getFirst(), DataSet.T0.minus(Duration.ofMinutes(15)),
					DataSet.T0);
			assertThat(result.names()).isEqualTo(names);
			assertThat(result.types().subList(0, 2)).containsExactly("DateTime", "String");
			assertThat(result.types().subList(2, names.size())).allSatisfy(type -> assertThat(type).matches("(Nullable\\()?Float64\\)?"));
		});
	}

	/** A dashboard's default range ({@code now-1h}, {@code now-7d}). */
	static Duration range(PanelQuery query) {
		String from = Dashboards.byUid(query.dashboardUid()).at("/time/from").asString();
		return Duration.ofSeconds(Dashboards.seconds(from.substring("now-".length())));
	}
}

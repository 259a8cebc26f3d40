package dev.globalevents.grafana;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The panels show what the data says: on the normal data set (rates 20, 15 and 12 events/s, 0.2% errors, windows
 * closed 35 s after their end, a second validate instance started 20 minutes before now) and on the breach where
 * ap-south stopped closing windows.
 */
@ExtendWith(TrafficPeakStandIn.Extension.class)
class PanelsReadTheDataTest {

	static final String OVERVIEW = Dashboards.OVERVIEW;
	static TrafficPeakStandIn standIn;

	@BeforeAll
	static void start(TrafficPeakStandIn started) {
		standIn = started;
	}

	@Test
	void eventsPerSecondAreEachRegionsRate() {
		Map<String, Double> mean = meanPerRegion(run(OVERVIEW, 1, standIn.normal.now(), Duration.ofHours(1)), "events_per_s");

		SimulatedPipeline.RATE.forEach((region, rate) -> assertThat(mean.get(region)).as(region).isCloseTo(rate, within(rate * 0.05)));
	}

	@Test
	void errorRateAndProcessingLatencyAreTheWindowsWeightedByEvents() {
		Instant now = standIn.normal.now();

		assertThat(meanPerRegion(run(OVERVIEW, 4, now, Duration.ofHours(1)), "error_rate").values()).allSatisfy(v -> assertThat(v).isCloseTo(0.002, within(1e-9)));
		assertThat(meanPerRegion(run(OVERVIEW, 3, now, Duration.ofHours(1)), "processing_mean").values()).allSatisfy(v -> assertThat(v).isBetween(6.0, 10.0));
		assertThat(meanPerRegion(run(OVERVIEW, 4, standIn.breach("error-rate-high").now(), Duration.ofMinutes(10)), "error_rate").get("eu-west"))
				.isCloseTo(0.05, within(1e-9));
	}

	@Test
	void freshnessIsTheAgeOfEachRegionsNewestWindow() {
		assertThat(perRegion(run(OVERVIEW, 7, standIn.normal.now(), Duration.ofHours(1)), "age_s"))
				.isEqualTo(Map.of("ap-south", 40.0, "eu-west", 40.0, "us-east", 40.0));

		Map<String, Double> stale = perRegion(run(OVERVIEW, 7, standIn.breach("region-stale").now(), Duration.ofHours(1)), "age_s");
		assertThat(stale.get("ap-south")).isGreaterThanOrEqualTo(240.0);
		assertThat(stale.get("eu-west")).isEqualTo(40.0);
	}

	@Test
	void availabilityIsTheShareOfExpectedWindowsPresent() {
		assertThat(perRegion(run(OVERVIEW, 8, standIn.normal.now(), Duration.ofHours(1)), "availability").values())
				.containsOnly(1.0);

		Map<String, Double> stale = perRegion(run(OVERVIEW, 8, standIn.breach("region-stale").now(), Duration.ofMinutes(20)), "availability");
		assertThat(stale.get("us-east")).isEqualTo(1.0);
		assertThat(stale.get("ap-south")).isCloseTo(1 - 20.0 / 116, within(0.02)); // 4 of the 19⅓ closed minutes missing
	}

	@Test
	void aNewInstanceIsCountedAsOneStartWhereItFirstReported() {
		PanelCheck.Result starts = run("globalevents-region-drilldown", 7, standIn.normal.now(), Duration.ofHours(1));

		Instant started = standIn.normal.now().minus(SimulatedPipeline.SECOND_VALIDATE_STARTS);
		assertThat(starts.rows()).hasSize(3).allSatisfy(row -> {
			assertThat(row.get(2)).isEqualTo("validate");
			assertThat(row.get(3)).isEqualTo("1");
			assertThat(Instant.parse(row.get(0).replace(' ', 'T') + "Z")).isBetween(started.minus(Duration.ofMinutes(1)), started);
		});
	}

	@Test
	void instancesPerFunctionCountTheSources() {
		PanelCheck.Result instances = run("globalevents-region-drilldown", 6, standIn.normal.now(), Duration.ofMinutes(10));
		int service = instances.table().column("service");

		for (int row = 0; row < instances.rows().size(); row++) {
			assertThat(instances.table().number(row, 3)).as(instances.rows().get(row).toString())
					.isEqualTo(instances.rows().get(row).get(service).equals("validate") ? 2.0 : 1.0);
		}
	}

	@Test
	void peakShareIsTheBusiestWindowOverCapacity() {
		Map<String, Double> share = perRegion(run("globalevents-history", 4, standIn.normal.now(), Duration.ofDays(7)), "peak_share");

		SimulatedPipeline.RATE.forEach((region, rate) -> assertThat(share.get(region)).as(region).isCloseTo(rate * 1.1 / 2000, within(0.001)));
	}

	@Test
	void perEventTypeRatesAddUpToTheRegionsAndTotalsAreNotCountedTwice() {
		PanelCheck.Result types = run("globalevents-region-drilldown", 9, standIn.normal.now(), Duration.ofHours(1));
		Map<String, List<Double>> points = new LinkedHashMap<>();
		for (int row = 0; row < types.rows().size(); row++) {
			points.computeIfAbsent(types.rows().get(row).get(types.table().column("event_type")), t -> new java.util.ArrayList<>())
					.add(types.table().number(row, types.table().column("events_per_s")));
		}
		double all = SimulatedPipeline.RATE.values().stream().mapToDouble(Double::doubleValue).sum();

		assertThat(points.keySet()).containsExactlyInAnyOrder("order.created", "payment.processed");
		assertThat(points.get("order.created").stream().mapToDouble(Double::doubleValue).average().orElseThrow()).isCloseTo(all * 0.6, within(all * 0.05));
		assertThat(points.get("payment.processed").stream().mapToDouble(Double::doubleValue).average().orElseThrow()).isCloseTo(all * 0.4, within(all * 0.05));
	}

	static PanelCheck.Result run(String dashboard, int panel, Instant to, Duration range) {
		PanelQuery query = Dashboards.panel(dashboard, panel).getFirst();
		Instant from = to.minus(range);
		PanelCheck.Result result = PanelCheck.run(standIn.url(), query, from, to);
		assertThat(result.problems()).isEmpty();
		return result;
	}

	/** One value per region (a table panel's rows). */
	static Map<String, Double> perRegion(PanelCheck.Result result, String column) {
		Map<String, Double> values = new LinkedHashMap<>();
		for (int row = 0; row < result.rows().size(); row++) {
			values.put(result.rows().get(row).get(result.table().column("region")), result.table().number(row, result.table().column(column)));
		}
		return values;
	}

	/** The mean of a time series' points per region. */
	static Map<String, Double> meanPerRegion(PanelCheck.Result result, String column) {
		Map<String, List<Double>> points = new LinkedHashMap<>();
		for (int row = 0; row < result.rows().size(); row++) {
			points.computeIfAbsent(result.rows().get(row).get(result.table().column("region")), r -> new java.util.ArrayList<>())
					.add(result.table().number(row, result.table().column(column)));
		}
		Map<String, Double> means = new LinkedHashMap<>();
		points.forEach((region, values) -> means.put(region, values.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
		return means;
	}
}

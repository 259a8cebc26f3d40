package dev.globalevents.canary;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.globalevents.canary.Decision.Verdict;
import dev.globalevents.canary.Traffic.Scenario;

import static dev.globalevents.canary.TrafficTarget.latest;
import static dev.globalevents.canary.TrafficTarget.revision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The analysis end to end against a real Prometheus: the request histograms of four canaries (faulty, good, slow,
 * idle) are backfilled into its storage, and each rollout queries them over HTTP at the end of each step, on virtual
 * time (each step's window is the minute the data gives that step), splitting traffic through a recording splitter.
 */
class PrometheusCanaryTest {

	static final Duration INTERVAL = Duration.ofMinutes(1);
	/** Three hours ago, so that the backfilled blocks lie wholly in the past. */
	static final Instant START = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
	static final Thresholds THRESHOLDS = new Thresholds(0.01, 1.5, 50);

	/** 20 % of its requests fail (stable: 0.5 %); its traffic goes back to 0 after the first step. */
	static final Scenario FAULTY = new Scenario("validate", "revision", "validate-00001", "validate-00002", 20, 0.005, 0.20, Traffic.NORMAL,
			List.of(10, 0));
	/** As good as stable, at 10 → 25 → 50 %; labelled as a scrape that keeps Knative's pod label name would. */
	static final Scenario GOOD = new Scenario("aggregate", "serving_knative_dev_revision", "aggregate-00001", "aggregate-00002", 20, 0.005, 0.005,
			Traffic.NORMAL, List.of(10, 25, 50, 100));
	/** No more errors, but five times stable's p99. */
	static final Scenario SLOW = new Scenario("export-metrics", "revision", "export-metrics-00001", "export-metrics-00002", 20, 0.005, 0.005,
			Traffic.SLOW, List.of(10, 0));
	/** One request every five seconds in all: the canary's share is never enough to judge. */
	static final Scenario IDLE = new Scenario("quarantine", "revision", "quarantine-00001", "quarantine-00002", 0.2, 0, 0, Traffic.NORMAL,
			List.of(10, 10, 25, 25, 50, 50));

	@TempDir
	static Path dir;
	static PrometheusServer prometheus;
	static PrometheusClient client;

	final RecordingSplitter splitter = new RecordingSplitter();
	final List<String> log = new ArrayList<>();

	@BeforeAll
	static void startPrometheus() throws Exception {
		Traffic traffic = new Traffic(START, INTERVAL);
		for (Scenario scenario : List.of(FAULTY, GOOD, SLOW, IDLE)) {
			traffic.add(scenario, START.minus(Duration.ofMinutes(10)), START.plus(INTERVAL.multipliedBy(8)));
		}
		prometheus = PrometheusServer.start(dir, traffic.openMetrics());
		client = new PrometheusClient(prometheus.url(), Duration.ofSeconds(10));
	}

	@AfterAll
	static void stopPrometheus() {
		if (prometheus != null) {
			prometheus.close();
		}
	}

	@Test
	void aCanaryWithTwentyPercentErrorsIsRolledBackAtTheFirstStep() throws Exception {
		CanaryRollout.Outcome outcome = rollout(FAULTY, MetricQueries.defaults(), 0, false).run();

		assertThat(outcome.promoted()).as(String.join("\n", log)).isFalse();
		assertThat(outcome.reason()).startsWith("rolled back at 10%: 5xx 20.00 % (stable 0.50 %)");
		assertThat(splitter.routes()).containsExactly(
				List.of(revision("validate-00001", 90, "stable"), revision("validate-00002", 10, "canary")),
				List.of(revision("validate-00001", 100, "stable"), revision("validate-00002", 0, "canary")));
		CanaryRollout.Analysis first = outcome.analyses().getFirst();
		assertThat(first.end()).isEqualTo(START.plus(INTERVAL));
		assertThat(first.canary().requests()).isCloseTo(120, within(1.0));
		assertThat(first.canary().errorRatio()).isCloseTo(0.20, within(0.001));
		assertThat(first.stable().requests()).isCloseTo(1080, within(1.0));
		assertThat(first.stable().errorRatio()).isCloseTo(0.005, within(0.001));
	}

	@Test
	void aGoodCanaryIsPromotedStepByStep() throws Exception {
		MetricQueries queries = new MetricQueries(MetricQueries.METRIC, "serving_knative_dev_revision", MetricQueries.STATUS_LABEL,
				MetricQueries.ERROR_STATUS, MetricQueries.URI_LABEL, MetricQueries.EXCLUDE_URI, "namespace=\"globalevents-us-east\"");

		CanaryRollout.Outcome outcome = rollout(GOOD, queries, 0, false).run();

		assertThat(outcome.promoted()).as(String.join("\n", log)).isTrue();
		assertThat(splitter.routes()).containsExactly(
				List.of(revision("aggregate-00001", 90, "stable"), revision("aggregate-00002", 10, "canary")),
				List.of(revision("aggregate-00001", 75, "stable"), revision("aggregate-00002", 25, "canary")),
				List.of(revision("aggregate-00001", 50, "stable"), revision("aggregate-00002", 50, "canary")),
				List.of(latest(100)));
		assertThat(outcome.analyses()).extracting(a -> a.decision().verdict()).containsExactly(Verdict.PASS, Verdict.PASS, Verdict.PASS);
		assertThat(outcome.analyses()).extracting(a -> Math.round(a.canary().requests())).containsExactly(120L, 300L, 600L);
		// the failing health probes of the canary are left out: no 503 in its ratio, no 1 s probe in its p99
		assertThat(outcome.analyses()).allSatisfy(analysis -> {
			assertThat(analysis.canary().errorRatio()).isCloseTo(0.005, within(0.001));
			assertThat(analysis.canary().p99Seconds()).isCloseTo(0.075, within(0.001));
			assertThat(analysis.stable().p99Seconds()).isCloseTo(0.075, within(0.001));
		});
	}

	@Test
	void aSlowCanaryIsRolledBackOnLatency() throws Exception {
		CanaryRollout.Outcome outcome = rollout(SLOW, MetricQueries.defaults(), 0, false).run();

		assertThat(outcome.promoted()).isFalse();
		assertThat(outcome.reason()).contains("p99 0.375 s (stable 0.075 s, x5.00), more than the x1.50 allowed");
		assertThat(splitter.routes()).last().isEqualTo(List.of(revision("export-metrics-00001", 100, "stable"), revision("export-metrics-00002", 0, "canary")));
	}

	@Test
	void aCanaryWithoutEnoughTrafficIsHeldThenRolledBack() throws Exception {
		CanaryRollout.Outcome outcome = rollout(IDLE, MetricQueries.defaults(), 1, false).run();

		assertThat(outcome.promoted()).isFalse();
		assertThat(outcome.reason()).isEqualTo("rolled back at 10%: still held after 2 intervals: the canary answered 1 requests, fewer than the 50 needed to judge it");
		assertThat(splitter.routes()).hasSize(2);
	}

	@Test
	void aServiceAllowedToBeIdleIsPromotedThroughTheSteps() throws Exception {
		CanaryRollout.Outcome outcome = rollout(IDLE, MetricQueries.defaults(), 1, true).run();

		assertThat(outcome.promoted()).isTrue();
		assertThat(outcome.analyses()).extracting(CanaryRollout.Analysis::percent).containsExactly(10, 10, 25, 25, 50, 50);
		assertThat(splitter.routes()).extracting(route -> route.getLast().percent()).containsExactly(10, 25, 50, 100);
	}

	@Test
	void theRevisionLabelMustBeTheOneTheScrapeWrites() throws Exception {
		MetricsSource defaults = MetricsSource.prometheus(client, MetricQueries.defaults());

		RevisionMetrics canary = defaults.read(GOOD.canary(), INTERVAL, START.plus(INTERVAL));

		assertThat(canary.requests()).isZero();
		assertThat(canary.p99Seconds()).isNaN();
	}

	@Test
	void theClientReadsScalarsEmptyResultsAndRefusals() throws Exception {
		assertThat(client.query("1 + 1", START)).hasValue(2.0);
		assertThat(client.query("sum(no_such_metric)", START)).isEmpty();
		assertThatThrownBy(() -> client.query("sum(", START)).isInstanceOf(IOException.class).hasMessageContaining("bad_data");
		assertThatThrownBy(() -> client.query("http_server_requests_seconds_count{revision=\"validate-00001\"}", START.plus(INTERVAL)))
				.isInstanceOf(IOException.class).hasMessageContaining("series, not one");
	}

	CanaryRollout rollout(Scenario scenario, MetricQueries queries, int maxHolds, boolean promoteWithoutData) {
		RolloutSettings settings = new RolloutSettings(List.of(10, 25, 50, 100), INTERVAL, THRESHOLDS, maxHolds, promoteWithoutData);
		return new CanaryRollout(scenario.service(), scenario.stable(), scenario.canary(), settings, MetricsSource.prometheus(client, queries), splitter,
				new VirtualPacer(START), log::add);
	}
}

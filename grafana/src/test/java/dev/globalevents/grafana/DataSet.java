package dev.globalevents.grafana;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A named data set of the metrics table, living on its own day (so they all share one table and never see each
 * other: every query of the dashboards and rules looks back at most 15 minutes, a dashboard's range at most a week
 * before {@code now}, and the sets come after the normal one).
 *
 * @param name     what it shows
 * @param now      the moment to read it at: the end of a dashboard's range, an alert rule's evaluation
 * @param rows     the rows, in the order they are inserted
 * @param inserts  how many times its rows are inserted (2: every row delivered twice, as export-metrics may re-send a batch)
 * @param firing   per alert rule uid, the regions it must fire for at {@code now} (absent: none)
 */
record DataSet(String name, Instant now, List<MetricsRow> rows, int inserts, Map<String, List<String>> firing) {

	/** The normal set's "now": the end of the dashboards' ranges. */
	static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
	static final Duration BREACH_SPAN = Duration.ofMinutes(30);

	@Override
	public String toString() {
		return name;
	}

	/** Three healthy regions for 75 minutes up to T0, and the same a week before (for week-over-week panels). */
	static DataSet normal() {
		List<MetricsRow> rows = new ArrayList<>(new SimulatedPipeline(T0, Duration.ofMinutes(75)).rows());
		rows.addAll(new SimulatedPipeline(T0.minus(Duration.ofDays(7)), Duration.ofMinutes(75)).rows());
		return new DataSet("normal", T0, rows, 1, Map.of());
	}

	/** One breach per alert rule, each on its own day after T0; and a healthy pipeline whose every row arrived twice. */
	static List<DataSet> breaches() {
		return List.of(
				breach(1, "error-rate-high: 5% of eu-west's events are errors for 15 min",
						p -> p.change("eu-west", Duration.ofMinutes(15), MetricsRow::window, w -> w.errorRate = 0.05),
						Map.of("globalevents-error-rate", List.of("eu-west"))),
				breach(2, "processing-latency-high: eu-west takes 250 ms validated to counted for 15 min",
						p -> p.change("eu-west", Duration.ofMinutes(15), MetricsRow::window, w -> w.processingTime = 250),
						Map.of("globalevents-processing-latency", List.of("eu-west"))),
				breach(3, "region-stale: ap-south has closed no window for 4 min (its samples still arrive)",
						p -> p.drop("ap-south", Duration.ofMinutes(4), MetricsRow::window),
						Map.of("globalevents-region-stale", List.of("ap-south"))),
				breach(4, "backlog-growing: us-east's aggregate backlog rises by 30 events every 10 s for 7 min",
						p -> p.change("us-east", Duration.ofMinutes(7), r -> r.sample("aggregate") || r.window(),
								r -> r.queueDepth = 30 * (1 + (r.timestamp.getEpochSecond() - p.now().minus(Duration.ofMinutes(7)).getEpochSecond()) / 10)),
						Map.of("globalevents-backlog-growing", List.of("us-east"))),
				breach(5, "quarantine-growing: eu-west's quarantine keeps 5% of the events for 15 min",
						p -> p.change("eu-west", Duration.ofMinutes(15), r -> r.sample("quarantine"),
								r -> r.eventCount = Math.round(SimulatedPipeline.RATE.get("eu-west") * 10 * 0.05)),
						Map.of("globalevents-quarantine-growing", List.of("eu-west"))),
				breach(6, "export-spilling: ap-south's export-metrics holds 400+ rows in its spill for 8 min",
						p -> p.change("ap-south", Duration.ofMinutes(8), r -> r.sample("export-metrics"),
								r -> r.queueDepth = 400 + (r.timestamp.getEpochSecond() % 600)),
						Map.of("globalevents-export-spill", List.of("ap-south"))),
				breach(7, "region-silent: nothing from us-east for 5 min",
						p -> p.drop("us-east", Duration.ofMinutes(5), r -> true),
						// no rows at all: no windows either, so it is stale as well
						Map.of("globalevents-region-no-data", List.of("us-east"), "globalevents-region-stale", List.of("us-east"))),
				new DataSet("normal-redelivered: a healthy pipeline whose every row arrived twice (not merged yet)", T0.plus(Duration.ofDays(8)),
						new SimulatedPipeline(T0.plus(Duration.ofDays(8)), BREACH_SPAN).rows(), 2, Map.of()));
	}

	private static DataSet breach(int day, String name, UnaryOperator<SimulatedPipeline> breach, Map<String, List<String>> firing) {
		Instant now = T0.plus(Duration.ofDays(day));
		return new DataSet(name, now, breach.apply(new SimulatedPipeline(now, BREACH_SPAN)).rows(), 1, firing);
	}
}

package dev.globalevents.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.globalevents.events.Json;
import dev.globalevents.events.testing.ClickHouseServer;
import dev.globalevents.events.testing.RedisServer;
import dev.globalevents.runtime.web.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Metrics CloudEvents into a real ClickHouse through the export function. */
class ClickHouseExportTest {

	static ClickHouseServer clickhouse;

	@BeforeAll
	static void start() {
		clickhouse = new ClickHouseServer();
	}

	@AfterAll
	static void stop() {
		clickhouse.close();
	}

	ClickHouseSink sink(ExportMetrics metrics) {
		return new ClickHouseSink(clickhouse.url(), "globalevents", "", "", ExportFixture.delivery(metrics, 2));
	}

	@BeforeEach
	void emptyTable() {
		clickhouse.query("DROP TABLE IF EXISTS globalevents.metrics");
	}

	@Test
	void samplesAndWindowsLandWithTheRightTypesAndValues() {
		try (ExportFixture export = new ExportFixture(this::sink, 100, Duration.ofMillis(100))) {
			sink(export.metrics).createTable().block();

			Outcome sample = export.function.apply(ExportFixture.single(ExportFixture.sample("s-1", "eu-west", 10))).block();
			Outcome window = export.function.apply(ExportFixture.single(ExportFixture.window("w-1"))).block();

			assertThat(sample).isInstanceOf(Outcome.Ack.class);
			assertThat(window).isInstanceOf(Outcome.Ack.class);
			List<JsonNode> rows = rows("SELECT id, kind, region, service, toString(timestamp) AS ts, event_count, "
					+ "toTypeName(event_count) AS count_type, error_rate, queue_depth, toString(window_start) AS ws, "
					+ "latency_p99, toTypeName(latency_p99) AS p99_type, source FROM globalevents.metrics ORDER BY id");
			assertThat(rows).hasSize(2);
			JsonNode s = rows.get(0);
			assertThat(s.get("id").asString()).isEqualTo("s-1");
			assertThat(s.get("kind").asString()).isEqualTo("sample");
			assertThat(s.get("region").asString()).isEqualTo("eu-west");
			assertThat(s.get("ts").asString()).isEqualTo("2026-06-01 00:00:10");
			assertThat(s.get("event_count").asString()).isEqualTo("10");
			assertThat(s.get("count_type").asString()).isEqualTo("UInt64");
			assertThat(s.get("error_rate").asDouble()).isEqualTo(0.5);
			assertThat(s.get("ws").isNull() || "\\N".equals(s.get("ws").asString(null))).isTrue();
			assertThat(s.get("source").asString()).isEqualTo("/validate/eu-west/pod-1");
			JsonNode w = rows.get(1);
			assertThat(w.get("kind").asString()).isEqualTo("window");
			assertThat(w.get("ws").asString()).isEqualTo("2026-06-01 00:00:00");
			assertThat(w.get("latency_p99").asDouble()).isEqualTo(38.05);
			assertThat(w.get("p99_type").asString()).isEqualTo("Nullable(Float64)");
		}
	}

	@Test
	void aWindowWithTwoTypesLandsAsItsTotalRowAndOneRowPerTypeTheTotalBeingEventTypeEmpty() {
		try (ExportFixture export = new ExportFixture(this::sink, 100, Duration.ofMillis(100))) {
			sink(export.metrics).createTable().block();

			Outcome sample = export.function.apply(ExportFixture.single(ExportFixture.sample("s-1", "ap-south", 7))).block();
			Outcome window = export.function.apply(ExportFixture.single(ExportFixture.windowWithTypes("w-1"))).block();
			Outcome again = export.function.apply(ExportFixture.single(ExportFixture.windowWithTypes("w-1"))).block(); // re-delivered

			assertThat(List.of(sample, window, again)).allMatch(o -> o instanceof Outcome.Ack);
			List<JsonNode> windows = rows("SELECT id, event_type, toTypeName(event_type) AS event_type_type, event_count, "
					+ "error_rate, processing_time, latency_p50, latency_p99, queue_depth, memory_usage, toString(timestamp) AS ts, "
					+ "toString(window_start) AS ws, region, service, kind FROM globalevents.metrics FINAL WHERE kind = 'window' ORDER BY id");
			assertThat(windows).extracting(r -> r.get("id").asString())
					.containsExactly("w-1", "w-1/order.created", "w-1/payment.processed");
			assertThat(windows).extracting(r -> r.get("event_type").asString()).containsExactly("", "order.created", "payment.processed");
			assertThat(windows).extracting(r -> r.get("event_count").asString()).containsExactly("42", "40", "2");
			assertThat(windows).extracting(r -> r.get("error_rate").asDouble()).containsExactly(2 / 42.0, 0.0, 1.0);
			assertThat(windows).extracting(r -> r.get("processing_time").asDouble()).containsExactly(12.5, 11.6, 30.0);
			assertThat(windows).extracting(r -> r.get("latency_p50").asDouble()).containsExactly(9.51, 9.51, 22.63);
			assertThat(windows).extracting(r -> r.get("latency_p99").asDouble()).containsExactly(38.05, 26.91, 38.05);
			assertThat(windows).allSatisfy(r -> {
				assertThat(r.get("event_type_type").asString()).isEqualTo("String");
				assertThat(r.get("ts").asString()).isEqualTo("2026-06-01 00:00:00");
				assertThat(r.get("ws").asString()).isEqualTo("2026-06-01 00:00:00");
				assertThat(r.get("region").asString()).isEqualTo("ap-south");
				assertThat(r.get("service").asString()).isEqualTo("aggregate");
				assertThat(r.get("queue_depth").asString()).isEqualTo("0");
				assertThat(r.get("memory_usage").asDouble()).isEqualTo(2.5e8);
			});
			// totals: event_type = '' (the samples too); the per-type rows add up to them
			assertThat(clickhouse.query("SELECT id, event_count FROM globalevents.metrics FINAL WHERE event_type = '' AND kind = 'window'"))
					.isEqualTo("w-1\t42\n");
			assertThat(clickhouse.query("SELECT id FROM globalevents.metrics FINAL WHERE event_type = '' ORDER BY id")).isEqualTo("s-1\nw-1\n");
			assertThat(clickhouse.query("SELECT sum(event_count) FROM globalevents.metrics FINAL WHERE kind = 'window' AND event_type != ''"))
					.isEqualTo("42\n");
		}
	}

	@Test
	void aTableFromBeforeEventTypeGetsTheColumnAndItsRowsReadAsTotals() {
		String old = ClickHouseSink.ddl("globalevents").replace("  event_type String DEFAULT '',\n", "");
		assertThat(old).doesNotContain("event_type String");
		clickhouse.query("CREATE DATABASE IF NOT EXISTS globalevents");
		clickhouse.query(old);
		clickhouse.query("INSERT INTO globalevents.metrics (timestamp, region, kind, id) VALUES ('2026-06-01 00:00:00', 'eu-west', 'window', 'old-1')");
		try (ExportFixture export = new ExportFixture(this::sink, 100, Duration.ofMillis(100))) {

			sink(export.metrics).createTable().block();
			sink(export.metrics).createTable().block(); // idempotent
			Outcome window = export.function.apply(ExportFixture.single(ExportFixture.windowWithTypes("w-1"))).block();

			assertThat(window).isInstanceOf(Outcome.Ack.class);
			assertThat(clickhouse.query("SELECT name, type, default_expression FROM system.columns WHERE database = 'globalevents' "
					+ "AND table = 'metrics' AND name IN ('version', 'event_type', 'kind')"))
					.isEqualTo("version\tString\t\nevent_type\tString\t\\'\\'\nkind\tString\t\n");
			assertThat(clickhouse.query("SELECT id FROM globalevents.metrics WHERE event_type = '' ORDER BY id")).isEqualTo("old-1\nw-1\n");
			assertThat(clickhouse.query("SELECT count() FROM globalevents.metrics WHERE event_type != ''")).isEqualTo("2\n");
		}
	}

	@Test
	void rowsOfManyRequestsGoInBatchesBySizeAndTime() {
		try (ExportFixture export = new ExportFixture(this::sink, 3, Duration.ofMillis(200))) {
			sink(export.metrics).createTable().block();

			List<Outcome> outcomes = Flux.range(0, 5)
					.flatMap(i -> export.function.apply(ExportFixture.single(ExportFixture.sample("s-" + i, "us-east", i))), 5)
					.collectList().block();

			assertThat(outcomes).hasSize(5).allMatch(o -> o instanceof Outcome.Ack);
			assertThat(export.batches.get()).isEqualTo(2);
			assertThat(clickhouse.query("SELECT count() FROM globalevents.metrics").trim()).isEqualTo("5");
		}
	}

	@Test
	void anInvalidSampleIsRefusedWithItsViolationsAndNothingIsStored() {
		try (ExportFixture export = new ExportFixture(this::sink, 1, Duration.ofMillis(50))) {
			sink(export.metrics).createTable().block();
			var bad = ExportFixture.sample("s-bad", "eu-west", 1);
			((tools.jackson.databind.node.ObjectNode) bad.get("data").get("metrics")).put("error_rate", 3);

			Outcome outcome = export.function.apply(ExportFixture.batch(List.of(ExportFixture.sample("s-ok", "eu-west", 1), bad))).block();

			assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r ->
					assertThat(r.problem().violations()).extracting(v -> v.field()).contains("/data/metrics/error_rate"));
			assertThat(clickhouse.query("SELECT count() FROM globalevents.metrics").trim()).isEqualTo("0");
		}
	}

	@Test
	void aStoreThatIsDownGets503AfterRetriesSoTheBrokerRetries() {
		int nothingThere = RedisServer.freePort();
		try (ExportFixture export = new ExportFixture(metrics -> new ClickHouseSink("http://127.0.0.1:" + nothingThere + "/",
				"globalevents", "", "", ExportFixture.delivery(metrics, 2)), 1, Duration.ofMillis(50))) {

			Outcome outcome = export.function.apply(ExportFixture.single(ExportFixture.sample("s-1", "eu-west", 1))).block();

			assertThat(outcome).isInstanceOfSatisfying(Outcome.Unavailable.class, u -> assertThat(u.problem().status()).isEqualTo(503));
			assertThat(export.registry.get("export.retries").counter().count()).isEqualTo(2);
			assertThat(export.registry.get("export.rows").tag("result", "failed").counter().count()).isEqualTo(1);
		}
	}

	private static List<JsonNode> rows(String sql) {
		List<JsonNode> rows = new ArrayList<>();
		for (String line : clickhouse.query(sql + " FORMAT JSONEachRow").split("\n")) {
			if (!line.isBlank()) {
				rows.add(Json.MAPPER.readTree(line));
			}
		}
		return rows;
	}
}

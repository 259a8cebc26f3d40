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

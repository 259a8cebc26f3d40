package dev.globalevents.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.globalevents.events.Json;
import dev.globalevents.events.JsonSchemas;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The ClickHouse DDL and the TrafficPeak transform have exactly the columns metrics.schema.json implies. */
class MetricsTablesTest {

	static final List<String> EXPECTED = MetricsRows.columns(JsonSchemas.schemaNode(JsonSchemas.METRICS));

	@Test
	void theSchemaImpliesAnEventTypeColumnAndNoColumnForTheTypesArray() {
		assertThat(EXPECTED).containsOnlyOnce("event_type", "event_count", "error_rate", "processing_time", "latency_p50",
				"latency_p95", "latency_p99").doesNotContain("types");
		assertThat(EXPECTED.subList(EXPECTED.size() - 4, EXPECTED.size())).containsExactly("event_type", "kind", "source", "id");
	}

	@Test
	void theClickHouseTableHasTheSchemasColumns() {
		Map<String, String> columns = ClickHouseSink.columnDefinitions(ClickHouseSink.ddl("db"));

		assertThat(columns.keySet()).containsExactlyInAnyOrderElementsOf(EXPECTED);
		assertThat(columns).containsEntry("event_type", "event_type String DEFAULT ''");
	}

	@Test
	void theTrafficPeakTransformHasTheSchemasColumnsAndOnePrimaryTimestamp() throws IOException {
		JsonNode transform;
		try (InputStream in = getClass().getClassLoader().getResourceAsStream("trafficpeak/metrics.transform.json")) {
			transform = Json.MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		List<String> columns = new ArrayList<>();
		List<String> primary = new ArrayList<>();
		JsonNode eventType = null;
		for (JsonNode column : transform.at("/settings/output_columns")) {
			columns.add(column.get("name").asString());
			if (column.at("/datatype/primary").asBoolean(false)) {
				primary.add(column.get("name").asString() + ":" + column.at("/datatype/type").asString());
			}
			if (column.get("name").asString().equals(MetricsRows.EVENT_TYPE)) {
				eventType = column.get("datatype");
			}
		}

		assertThat(columns).containsExactlyInAnyOrderElementsOf(EXPECTED);
		assertThat(primary).containsExactly("timestamp:datetime");
		assertThat(eventType.get("type").asString()).isEqualTo("string");
		assertThat(eventType.get("default").isString()).isTrue();
		assertThat(eventType.get("default").asString()).isEmpty();
	}

	@Test
	void everyRowOfAWindowHasExactlyTheSchemasColumnsAndASampleRowSomeOfThem() {
		List<ObjectNode> windows = new ArrayList<>();
		windows.addAll(rows(ExportFixture.window("w-1"), "window"));
		windows.addAll(rows(ExportFixture.windowWithTypes("w-2"), "window"));

		assertThat(windows).hasSize(4).allSatisfy(row -> assertThat(names(row)).containsExactlyInAnyOrderElementsOf(EXPECTED));
		assertThat(names(rows(ExportFixture.sample("s-1", "eu-west", 3), "sample").getFirst())).isSubsetOf(EXPECTED)
				.contains(MetricsRows.EVENT_TYPE); // no window, no latency
	}

	private static List<String> names(ObjectNode row) {
		List<String> names = new ArrayList<>();
		row.propertyNames().forEach(names::add);
		return names;
	}

	@Test
	void aWindowWithTypesIsItsTotalRowThenOneRowPerTypeWithTheDocumentsContext() {
		ObjectNode envelope = ExportFixture.windowWithTypes("window-1");

		List<ObjectNode> rows = rows(envelope, "window");

		assertThat(rows).extracting(r -> r.get("id").asString())
				.containsExactly("window-1", "window-1/payment.processed", "window-1/order.created");
		assertThat(rows).extracting(r -> r.get("event_type").asString()).containsExactly("", "payment.processed", "order.created");
		assertThat(rows).extracting(r -> r.get("event_count").asLong()).containsExactly(42L, 2L, 40L);
		assertThat(rows).extracting(r -> r.get("error_rate").asDouble()).containsExactly(2 / 42.0, 1.0, 0.0);
		assertThat(rows).extracting(r -> r.get("processing_time").asDouble()).containsExactly(12.5, 30.0, 11.6);
		assertThat(rows).extracting(r -> r.get("latency_p99").asDouble()).containsExactly(38.05, 38.05, 26.91);
		assertThat(rows).extracting(r -> r.get("latency_p50").asDouble()).containsExactly(9.51, 22.63, 9.51);
		for (ObjectNode row : rows) { // the rest is the document's
			assertThat(row.get("kind").asString()).isEqualTo("window");
			assertThat(row.get("source").asString()).isEqualTo("/aggregate/ap-south");
			assertThat(row.get("timestamp").asString()).isEqualTo("2026-06-01T00:00:00Z");
			assertThat(row.get("region").asString()).isEqualTo("ap-south");
			assertThat(row.get("window_start").asString()).isEqualTo("2026-06-01T00:00:00Z");
			assertThat(row.get("window_end").asString()).isEqualTo("2026-06-01T00:00:10Z");
			assertThat(row.get("queue_depth").asLong()).isZero();
			assertThat(row.get("memory_usage").asDouble()).isEqualTo(2.5e8);
			assertThat(row.get("cpu_usage").asDouble()).isEqualTo(0.1);
			assertThat(row.get("service").asString()).isEqualTo("aggregate");
			assertThat(row.get("environment").asString()).isEqualTo("test");
			assertThat(row.get("version").asString()).isEqualTo("0.1.0");
		}
	}

	@Test
	void aSampleAndAWindowWithoutTypesAreOneRowEachWithAnEmptyEventType() {
		assertThat(rows(ExportFixture.sample("s-1", "eu-west", 3), "sample")).singleElement()
				.satisfies(row -> assertThat(row.get("event_type").asString()).isEmpty())
				.satisfies(row -> assertThat(row.get("id").asString()).isEqualTo("s-1"));
		assertThat(rows(ExportFixture.window("w-1"), "window")).singleElement()
				.satisfies(row -> assertThat(row.get("event_type").asString()).isEmpty());
	}

	private static List<ObjectNode> rows(ObjectNode envelope, String kind) {
		assertThat(JsonSchemas.load(JsonSchemas.METRICS).validate(envelope.get("data"), "")).isEmpty();
		return MetricsRows.rows(envelope.get("data"), kind, envelope.get("source").asString(), envelope.get("id").asString());
	}
}

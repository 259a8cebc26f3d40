package dev.globalevents.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.globalevents.events.Json;
import dev.globalevents.events.JsonSchemas;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The ClickHouse DDL and the TrafficPeak transform have exactly the columns metrics.schema.json implies. */
class MetricsTablesTest {

	static final List<String> EXPECTED = MetricsRows.columns(JsonSchemas.schemaNode(JsonSchemas.METRICS));

	@Test
	void theClickHouseTableHasTheSchemasColumns() {
		List<String> columns = new ArrayList<>();
		Matcher column = Pattern.compile("^\\s+(\\w+) (\\w+(\\(\\w+\\))?),?$", Pattern.MULTILINE).matcher(ClickHouseSink.ddl("db"));
		while (column.find()) {
			columns.add(column.group(1));
		}

		assertThat(columns).containsExactlyInAnyOrderElementsOf(EXPECTED);
	}

	@Test
	void theTrafficPeakTransformHasTheSchemasColumnsAndOnePrimaryTimestamp() throws IOException {
		JsonNode transform;
		try (InputStream in = getClass().getClassLoader().getResourceAsStream("trafficpeak/metrics.transform.json")) {
			transform = Json.MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		List<String> columns = new ArrayList<>();
		List<String> primary = new ArrayList<>();
		for (JsonNode column : transform.at("/settings/output_columns")) {
			columns.add(column.get("name").asString());
			if (column.at("/datatype/primary").asBoolean(false)) {
				primary.add(column.get("name").asString() + ":" + column.at("/datatype/type").asString());
			}
		}

		assertThat(columns).containsExactlyInAnyOrderElementsOf(EXPECTED);
		assertThat(primary).containsExactly("timestamp:datetime");
	}

	@Test
	void aRowHasExactlyTheSchemasColumns() {
		JsonNode window = Json.MAPPER.readTree("""
				{"timestamp":"2026-06-01T00:00:00Z","region":"eu-west",
				 "metrics":{"event_count":3,"processing_time":1.5,"error_rate":0.0,"queue_depth":0,"memory_usage":1e8,"cpu_usage":0.1},
				 "tags":{"environment":"test","service":"aggregate","version":"0.1.0"},
				 "window":{"start":"2026-06-01T00:00:00Z","end":"2026-06-01T00:00:10Z"},
				 "latency":{"p50":1.0,"p95":2.0,"p99":4.0}}""");

		List<String> names = new ArrayList<>();
		MetricsRows.row(window, "window", "/aggregate/eu-west", "window-1").propertyNames().forEach(names::add);

		assertThat(names).containsExactlyInAnyOrderElementsOf(EXPECTED);
	}
}

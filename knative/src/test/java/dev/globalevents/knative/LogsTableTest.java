package dev.globalevents.knative;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.globalevents.events.testing.ClickHouseServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logs table has one set of columns everywhere: the ClickHouse DDL, TrafficPeak's transform and the row Vector's
 * remap builds ({@code knative/observability}); and the DDL creates a table on a real clickhouse-server that takes
 * rows as Vector sends them (JSON objects, RFC 3339 timestamps).
 */
class LogsTableTest {

	static final Path DIR = Rendered.KNATIVE.resolve("observability");
	static final Path DDL = DIR.resolve("trafficpeak/logs.clickhouse.sql");
	static final ObjectMapper JSON = new ObjectMapper();
	static final HttpClient HTTP = HttpClient.newHttpClient();

	static ClickHouseServer clickhouse;

	@BeforeAll
	static void start() {
		clickhouse = new ClickHouseServer(); // a real clickhouse-server (make tools installs it), data in a temporary folder
	}

	@AfterAll
	static void stop() {
		if (clickhouse != null) {
			clickhouse.close();
		}
	}

	@Test
	void theDdlTheTransformAndVectorsRowHaveTheSameColumns() throws Exception {
		List<String> ddl = ddlColumns();
		List<String> transform = new ArrayList<>();
		List<String> primary = new ArrayList<>();
		for (JsonNode column : JSON.readTree(DIR.resolve("trafficpeak/logs.transform.json").toFile()).at("/settings/output_columns")) {
			transform.add(column.get("name").asText());
			if (column.at("/datatype/primary").asBoolean(false)) {
				primary.add(column.get("name").asText() + ":" + column.at("/datatype/type").asText());
			}
		}

		assertThat(ddl).isNotEmpty().doesNotHaveDuplicates();
		assertThat(transform).containsExactlyInAnyOrderElementsOf(ddl);
		assertThat(primary).containsExactly("timestamp:datetime");
		assertThat(vectorRowKeys()).containsExactlyInAnyOrderElementsOf(ddl);
	}

	@Test
	void theDdlCreatesATableThatTakesVectorsRows() throws Exception {
		query("CREATE DATABASE IF NOT EXISTS globalevents", "");
		query(Rendered.read(DDL).replace("${database}", "globalevents"), "");
		// as Vector's json codec writes them: every column, timestamps in RFC 3339 (UTC with nanoseconds, or an offset)
		String rows = String.join("\n", row("2026-06-01T10:00:00.123456789Z", "INFO", "window closed", "4bf92f3577b34da6a3ce929d0e0e4736"),
				row("2026-06-01T12:00:01.5+02:00", "", "a line that was not JSON", ""));

		query("INSERT INTO globalevents.logs FORMAT JSONEachRow", "&date_time_input_format=best_effort", rows);

		assertThat(query("SELECT toString(timestamp), level, message, trace_id, region FROM globalevents.logs ORDER BY timestamp FORMAT TSV", ""))
				.isEqualTo("""
						2026-06-01 10:00:00	INFO	window closed	4bf92f3577b34da6a3ce929d0e0e4736	eu-west
						2026-06-01 10:00:01		a line that was not JSON		eu-west
						""");
	}

	/** The column names of the DDL, in order. */
	static List<String> ddlColumns() {
		List<String> columns = new ArrayList<>();
		Matcher column = Pattern.compile("^\\s+(\\w+) (\\w+(\\(\\w+\\))?),?$", Pattern.MULTILINE).matcher(Rendered.read(DDL));
		while (column.find()) {
			columns.add(column.group(1));
		}
		return columns;
	}

	/** The keys of the object Vector's remap "logs" makes the event ({@code . = { "key": ..., ... }}). */
	static List<String> vectorRowKeys() throws IOException {
		JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("vector-config.yaml").toFile());
		String source = config.at("/transforms/logs/source").asText();
		Matcher object = Pattern.compile("(?s)^\\.\\s*=\\s*\\{(.*)}\\s*$", Pattern.MULTILINE).matcher(source);
		assertThat(object.find()).as("the remap ends by replacing the event with one object").isTrue();
		List<String> keys = new ArrayList<>();
		Matcher key = Pattern.compile("(?m)^\\s*\"(\\w+)\"\\s*:").matcher(object.group(1));
		while (key.find()) {
			keys.add(key.group(1));
		}
		return keys;
	}

	static String row(String timestamp, String level, String message, String traceId) throws IOException {
		var row = JSON.createObjectNode();
		for (String column : ddlColumns()) {
			row.put(column, "");
		}
		row.put("timestamp", timestamp).put("level", level).put("message", message).put("trace_id", traceId).put("region", "eu-west")
				.put("service", "aggregate").put("namespace", "globalevents-eu-west").put("container", "aggregate").put("stream", "stdout");
		return JSON.writeValueAsString(row);
	}

	static String query(String sql, String settings) throws Exception {
		return query(sql, settings, null);
	}

	/** Runs sql (in the URL when a body follows, else as the body); fails on any answer but 200. */
	static String query(String sql, String settings, String body) throws Exception {
		String url = clickhouse.url() + "?" + (body == null ? "" : "query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)) + settings;
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
				.POST(HttpRequest.BodyPublishers.ofString(body == null ? sql : body)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}
}

package dev.globalevents.grafana;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A ClickHouse (or TrafficPeak's ClickHouse HTTP interface) answering SQL over HTTP, read as {@code JSONCompact}: the
 * column names and types ClickHouse reports, and the rows as text. JDK HttpClient only.
 */
public final class ClickHouseHttp {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	private static final JsonMapper JSON = JsonMapper.builder().build();
	private static final Pattern NUMERIC = Pattern.compile("(Nullable\\()?(U?Int(8|16|32|64|128|256)|Float(32|64)|Decimal.*)\\)?");

	private final URI url;

	/** @param url the HTTP interface, e.g. {@code http://127.0.0.1:8123/} */
	public ClickHouseHttp(String url) {
		this.url = URI.create(url.endsWith("/") ? url : url + "/");
	}

	/** What ClickHouse answered: columns in order, their types, and every row's values as text (null for NULL). */
	public record Table(List<String> names, List<String> types, List<List<String>> rows) {

		/** The index of a column, or -1. */
		public int column(String name) {
			return names.indexOf(name);
		}

		/** One value as a number (NaN for NULL or a text that is no number). */
		public double number(int row, int column) {
			String value = rows.get(row).get(column);
			try {
				return value == null ? Double.NaN : Double.parseDouble(value);
			}
			catch (NumberFormatException e) {
				return Double.NaN;
			}
		}

		/** Whether a ClickHouse type holds numbers (integers, floats, decimals, nullable or not). */
		public static boolean numeric(String type) {
			return NUMERIC.matcher(type).matches();
		}
	}

	/** A query ClickHouse refused (or could not be reached for). */
	public static final class Failure extends RuntimeException {

		public Failure(String message) {
			super(message);
		}
	}

	/** Runs one SELECT (without a FORMAT clause) and reads its answer. */
	public Table query(String sql) {
		return parse(send(HttpRequest.newBuilder(url), sql + "\nFORMAT JSONCompact", sql));
	}

	/** Sends rows ({@code JSONEachRow}, one object a line) into a table. */
	public void insert(String table, String jsonEachRow) {
		String insert = "INSERT INTO " + table + " FORMAT JSONEachRow";
		send(HttpRequest.newBuilder(URI.create(url + "?query=" + URLEncoder.encode(insert, StandardCharsets.UTF_8))), jsonEachRow, insert);
	}

	/** Runs a statement that answers nothing to read (CREATE …). */
	public void execute(String statement) {
		send(HttpRequest.newBuilder(url), statement, statement);
	}

	private String send(HttpRequest.Builder request, String body, String what) {
		HttpResponse<String> response;
		try {
			response = HTTP.send(request.timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException e) {
			throw new Failure("ClickHouse at " + url + " cannot be reached: " + e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new Failure("interrupted");
		}
		if (response.statusCode() != 200) {
			throw new Failure("ClickHouse answered " + response.statusCode() + ": " + response.body().strip() + "\n-- for: " + what);
		}
		return response.body();
	}

	/** A {@code JSONCompact} answer: {@code meta} (name, type) and {@code data} (arrays; 64-bit integers quoted). */
	static Table parse(String body) {
		JsonNode answer = JSON.readTree(body);
		List<String> names = new ArrayList<>();
		List<String> types = new ArrayList<>();
		for (JsonNode column : answer.path("meta")) {
			names.add(column.path("name").asString());
			types.add(column.path("type").asString());
		}
		List<List<String>> rows = new ArrayList<>();
		for (JsonNode row : answer.path("data")) {
			List<String> values = new ArrayList<>();
			for (JsonNode value : row) {
				values.add(value.isNull() ? null : value.asString());
			}
			rows.add(Collections.unmodifiableList(values));
		}
		return new Table(List.copyOf(names), List.copyOf(types), Collections.unmodifiableList(rows));
	}
}

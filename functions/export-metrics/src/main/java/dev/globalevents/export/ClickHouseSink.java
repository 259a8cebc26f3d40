package dev.globalevents.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.globalevents.events.Json;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link RowSink} for ClickHouse over HTTP: {@code INSERT INTO <db>.metrics FORMAT JSONEachRow}, ISO timestamps read
 * with {@code date_time_input_format=best_effort}. {@link #createTable} applies the shipped DDL
 * ({@code sql/metrics.clickhouse.sql}) and adds the columns an existing table lacks.
 */
final class ClickHouseSink implements RowSink {

	/** A column definition of the DDL: {@code name Type[(Type)] [DEFAULT expr]}, one per line. */
	private static final Pattern COLUMN = Pattern.compile("^\\s*(\\w+) (\\w+(?:\\(\\w+\\))?(?: DEFAULT \\S+?)?),?\\s*$", Pattern.MULTILINE);

	private final URI base;
	private final String database;
	private final String authorization;
	private final HttpDelivery delivery;

	ClickHouseSink(String url, String database, String user, String password, HttpDelivery delivery) {
		this.base = URI.create(url.endsWith("/") ? url : url + "/");
		this.database = database;
		this.authorization = user == null || user.isBlank() ? null
				: "Basic " + Base64.getEncoder().encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
		this.delivery = delivery;
	}

	@Override
	public Mono<Void> write(List<ObjectNode> rows) {
		StringBuilder body = new StringBuilder(rows.size() * 400);
		for (ObjectNode row : rows) {
			body.append(Json.MAPPER.writeValueAsString(row)).append('\n');
		}
		byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
		return delivery.send(() -> post("INSERT INTO " + database + ".metrics FORMAT JSONEachRow", bytes,
				"&date_time_input_format=best_effort&input_format_skip_unknown_fields=1")).then();
	}

	/**
	 * Creates the database and the metrics table if they do not exist, and adds to a table created by an earlier
	 * version the columns of the DDL it lacks (18.16 has no {@code ADD COLUMN IF NOT EXISTS}, so the table's columns
	 * are read first); an added column reads as its DEFAULT in the rows already there. A column another replica
	 * added meanwhile counts as added.
	 */
	Mono<Void> createTable() {
		String ddl = ddl(database);
		return delivery.send(() -> post("CREATE DATABASE IF NOT EXISTS " + database, new byte[0], ""))
				.then(delivery.send(() -> post(null, ddl.getBytes(StandardCharsets.UTF_8), "")))
				.then(existingColumns())
				.flatMapMany(existing -> Flux.fromIterable(missingColumns(columnDefinitions(ddl), existing)))
				.concatMap(add -> delivery.send(() -> post(null, add.getValue().getBytes(StandardCharsets.UTF_8), ""))
						.then()
						.onErrorResume(e -> existingColumns().flatMap(existing -> existing.contains(add.getKey()) ? Mono.empty() : Mono.error(e))))
				.then();
	}

	private Mono<Set<String>> existingColumns() {
		return delivery.send(() -> post("SELECT name FROM system.columns WHERE database = '" + database
				+ "' AND table = 'metrics' FORMAT TabSeparated", new byte[0], ""))
				.map(response -> Set.copyOf(response.body().lines().filter(line -> !line.isBlank()).toList()));
	}

	/** {@code ALTER TABLE} statements (by column name) adding the columns that are not there, each after its predecessor. */
	private List<Map.Entry<String, String>> missingColumns(Map<String, String> definitions, Set<String> existing) {
		List<Map.Entry<String, String>> statements = new ArrayList<>();
		String previous = null;
		for (Map.Entry<String, String> column : definitions.entrySet()) {
			if (!existing.contains(column.getKey())) {
				statements.add(Map.entry(column.getKey(), "ALTER TABLE " + database + ".metrics ADD COLUMN " + column.getValue()
						+ (previous == null ? "" : " AFTER " + previous)));
			}
			previous = column.getKey();
		}
		return statements;
	}

	/**
	 * The column definitions of a {@code CREATE TABLE} (one per line, {@code name Type [DEFAULT expr]}), by name, in
	 * table order.
	 */
	static Map<String, String> columnDefinitions(String ddl) {
		Map<String, String> columns = new LinkedHashMap<>();
		String body = ddl.substring(ddl.indexOf('(', ddl.indexOf("CREATE TABLE")) + 1, ddl.indexOf(") ENGINE"));
		Matcher column = COLUMN.matcher(body);
		while (column.find()) {
			columns.put(column.group(1), column.group(1) + " " + column.group(2));
		}
		return columns;
	}

	static String ddl(String database) {
		try (InputStream in = ClickHouseSink.class.getClassLoader().getResourceAsStream("sql/metrics.clickhouse.sql")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${database}", database);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private HttpRequest post(String query, byte[] body, String settings) {
		String uri = base + "?" + (query == null ? "" : "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)) + settings;
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(java.time.Duration.ofSeconds(10))
				.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return request.build();
	}

	@Override
	public String describe() {
		return "clickhouse " + base + " database " + database;
	}
}

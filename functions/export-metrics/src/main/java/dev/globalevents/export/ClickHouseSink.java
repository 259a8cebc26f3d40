package dev.globalevents.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import dev.globalevents.events.Json;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link RowSink} for ClickHouse over HTTP: {@code INSERT INTO <db>.metrics FORMAT JSONEachRow}, ISO timestamps read
 * with {@code date_time_input_format=best_effort}. {@link #createTable} applies the shipped DDL
 * ({@code sql/metrics.clickhouse.sql}).
 */
final class ClickHouseSink implements RowSink {

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

	/** Creates the database and the metrics table if they do not exist. */
	Mono<Void> createTable() {
		return delivery.send(() -> post("CREATE DATABASE IF NOT EXISTS " + database, new byte[0], ""))
				.then(delivery.send(() -> post(null, ddl(database).getBytes(StandardCharsets.UTF_8), ""))).then();
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

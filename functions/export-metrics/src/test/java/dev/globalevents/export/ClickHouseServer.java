package dev.globalevents.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

import dev.globalevents.local.Infrastructure;

import static org.awaitility.Awaitility.await;

/**
 * A real clickhouse-server (Debian's, 18.16 or later) started as the local stack starts it ({@link Infrastructure}),
 * with its data in a temporary folder, stopped on close and when the JVM exits. {@link #query} runs SQL over HTTP.
 */
final class ClickHouseServer implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private final Infrastructure.Started server;

	ClickHouseServer() {
		try {
			server = Infrastructure.clickhouse(Files.createTempDirectory("clickhouse-test"));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(server.process()::destroyForcibly));
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> "Ok.\n".equals(
				HTTP.send(HttpRequest.newBuilder(URI.create(url() + "ping")).build(), HttpResponse.BodyHandlers.ofString()).body()));
	}

	String url() {
		return "http://127.0.0.1:" + server.port() + "/";
	}

	/** Runs a query; returns the body (TabSeparated unless the query says otherwise). */
	String query(String sql) {
		try {
			HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "?query="
					+ URLEncoder.encode(sql, StandardCharsets.UTF_8))).POST(HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("clickhouse answered " + response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	@Override
	public void close() {
		server.close();
	}
}

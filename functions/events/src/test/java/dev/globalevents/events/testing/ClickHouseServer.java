package dev.globalevents.events.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * A real clickhouse-server (Debian's, 18.16 or later) on free loopback ports with its data in a temporary folder,
 * stopped on close and when the JVM exits. {@link #query} runs SQL over HTTP. Shared by the tests that need
 * TrafficPeak's SQL (export-metrics' tables, the logs table of knative/observability).
 */
public final class ClickHouseServer implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private final Path dir;
	private final int httpPort = RedisServer.freePort();
	private final Process process;

	public ClickHouseServer() {
		try {
			dir = Files.createTempDirectory("clickhouse-test");
			int tcpPort = RedisServer.freePort();
			Files.writeString(dir.resolve("users.xml"), """
					<yandex><profiles><default/></profiles><quotas><default/></quotas>
					<users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
					<profile>default</profile><quota>default</quota></default></users></yandex>
					""");
			Files.writeString(dir.resolve("config.xml"), """
					<yandex>
					  <logger><level>warning</level><log>%1$s/server.log</log><errorlog>%1$s/error.log</errorlog></logger>
					  <http_port>%2$d</http_port><tcp_port>%3$d</tcp_port><listen_host>127.0.0.1</listen_host>
					  <path>%1$s/data/</path><tmp_path>%1$s/tmp/</tmp_path><user_files_path>%1$s/user_files/</user_files_path>
					  <format_schema_path>%1$s/format_schemas/</format_schema_path>
					  <users_config>%1$s/users.xml</users_config><timezone>UTC</timezone>
					  <mark_cache_size>67108864</mark_cache_size><uncompressed_cache_size>67108864</uncompressed_cache_size>
					</yandex>
					""".formatted(dir, httpPort, tcpPort));
			String binary = Files.isExecutable(Path.of("/usr/sbin/clickhouse-server")) ? "/usr/sbin/clickhouse-server" : "clickhouse-server";
			process = new ProcessBuilder(binary, "--config-file=" + dir.resolve("config.xml"))
					.redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
			Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot start clickhouse-server (install it: apt-get install clickhouse-server)", e);
		}
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> "Ok.\n".equals(
				HTTP.send(HttpRequest.newBuilder(URI.create(url() + "ping")).build(), HttpResponse.BodyHandlers.ofString()).body()));
	}

	public String url() {
		return "http://127.0.0.1:" + httpPort + "/";
	}

	/** Runs a query; returns the body (TabSeparated unless the query says otherwise). */
	public String query(String sql) {
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
		process.destroy();
		try {
			if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}

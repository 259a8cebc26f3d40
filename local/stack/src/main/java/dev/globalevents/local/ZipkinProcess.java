package dev.globalevents.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The local trace backend: the Zipkin server ({@code local/zipkin/target/zipkin-server.jar}, from Maven Central) on a
 * loopback port with in-memory storage (the oldest traces go first beyond {@value #MAX_SPANS} spans). The functions,
 * the brokers and (through its {@code traceparent}) the gateway's requests report to it; its UI is {@link #ui()}.
 */
final class ZipkinProcess extends LocalProcess {

	/**
	 * What the in-memory storage keeps within the 384 MB heap: 200,000 spans filled it and Zipkin spent its time in full
	 * collections (163 of them, 597 s in 20 min of make run), timing out every function's span export.
	 */
	static final int MAX_SPANS = 50_000;

	private final int port;

	private ZipkinProcess(Path jar, Path state, int port) {
		super("zipkin", java.util.stream.Stream.of(List.of(java(), "-XX:+UseSerialGC", "-Xmx384m"), SMALL_HEAP, List.of("-jar", jar.toString(),
				"--armeria.ports[0].port=" + port, "--armeria.ports[0].ip=127.0.0.1", "--armeria.ports[0].protocols[0]=http")).flatMap(List::stream).toList(),
				Map.of("STORAGE_TYPE", "mem", "MEM_MAX_SPANS", Integer.toString(MAX_SPANS), "QUERY_PORT", Integer.toString(port)),
				state.resolve("zipkin.log"), URI.create("http://127.0.0.1:" + port + "/health"), true);
		this.port = port;
	}

	/** Starts Zipkin (ready later: {@link #ready()}). */
	static ZipkinProcess start(Path root, Path state) {
		Path jar = root.resolve("local/zipkin/target/zipkin-server.jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("no " + jar + ": run make build");
		}
		return new ZipkinProcess(jar, state, Infrastructure.freePort());
	}

	URI url() {
		return URI.create("http://127.0.0.1:" + port + "/");
	}

	/** Where spans are posted (Zipkin's v2 JSON API). */
	URI spans() {
		return url().resolve("/api/v2/spans");
	}

	URI ui() {
		return url().resolve("/zipkin/");
	}

	@Override
	URI address() {
		return ui();
	}
}

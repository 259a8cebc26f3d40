package dev.globalevents.events.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

/**
 * A real Redis Cluster for tests: three {@code redis-server --cluster-enabled yes} masters on loopback, joined with
 * {@code redis-cli --cluster create} (slots spread over the three), no persistence. Scripts that touch keys of more
 * than one slot, or keys they did not declare, fail on it as they would on a production cluster.
 */
public final class RedisCluster implements AutoCloseable {

	private final List<Integer> ports = new ArrayList<>();
	private final List<Process> nodes = new ArrayList<>();
	private final Path dir;

	private RedisCluster() throws IOException {
		this.dir = Files.createTempDirectory("redis-cluster-test-");
	}

	public static RedisCluster started() {
		try {
			RedisCluster cluster = new RedisCluster();
			cluster.start();
			return cluster;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The URL {@code RedisConnection} takes for a cluster: its nodes as seeds. */
	public String url() {
		return "redis-cluster://" + ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
	}

	private void start() throws IOException {
		while (ports.size() < 3) {
			int port = clusterPort();
			if (!ports.contains(port)) {
				ports.add(port);
			}
		}
		for (int port : ports) {
			Path node = Files.createDirectories(dir.resolve(Integer.toString(port)));
			nodes.add(new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
					"--cluster-enabled", "yes", "--cluster-config-file", node.resolve("nodes.conf").toString(),
					"--cluster-node-timeout", "5000", "--save", "", "--appendonly", "no", "--dir", node.toString())
					.redirectErrorStream(true).redirectOutput(node.resolve("redis.log").toFile()).start());
		}
		Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop-redis-cluster"));
		for (int port : ports) {
			// redis-cli exits non-zero (cli throws) until the node listens
			Awaitility.await("cluster node " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
					.ignoreExceptions().until(() -> cli(port, "ping").contains("PONG"));
		}
		List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
		ports.forEach(p -> create.add("127.0.0.1:" + p));
		create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		run(create);
		for (int port : ports) {
			Awaitility.await("cluster state ok on " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
					.until(() -> cli(port, "cluster", "info").contains("cluster_state:ok"));
		}
	}

	/** A free loopback port whose cluster bus port (port + 10000) is free too. */
	private static int clusterPort() throws IOException {
		for (int attempt = 0; attempt < 100; attempt++) {
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				int port = socket.getLocalPort();
				if (port + 10_000 <= 65_535) {
					try (ServerSocket bus = new ServerSocket(port + 10_000, 1, InetAddress.getLoopbackAddress())) {
						return port;
					}
					catch (IOException busTaken) {
						// try another
					}
				}
			}
		}
		throw new IllegalStateException("no free port pair for a cluster node");
	}

	private static String cli(int port, String... command) {
		List<String> args = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
		args.addAll(List.of(command));
		return run(args);
	}

	private static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
			}
			return output;
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot run " + command.getFirst() + " (make test installs redis)", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	@Override
	public synchronized void close() {
		for (Process node : nodes) {
			node.destroyForcibly();
		}
		nodes.clear();
	}
}

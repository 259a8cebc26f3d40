package dev.globalevents.events.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A real, private {@code redis-server} on a free loopback port for tests: no persistence, data in a temporary
 * folder, killed on {@link #stop()} and at the latest when the test JVM exits (servers held in static fields
 * are never closed by JUnit). Fails with a clear message when redis-server is not installed
 * ({@code make test} installs it).
 */
public final class RedisServer implements AutoCloseable {

	private final int port;
	private final Path dir;
	private Process process;
	private boolean hooked;

	public RedisServer() {
		this.port = freePort();
		try {
			this.dir = Files.createTempDirectory("redis-test-");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public static RedisServer started() {
		RedisServer server = new RedisServer();
		server.start();
		return server;
	}

	public int port() {
		return port;
	}

	public String url() {
		return "redis://127.0.0.1:" + port;
	}

	public synchronized void start() {
		String binary = binary();
		try {
			process = new ProcessBuilder(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
					"--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "yes")
					.redirectErrorStream(true)
					.redirectOutput(dir.resolve("redis.log").toFile())
					.start();
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot start " + binary, e);
		}
		if (!hooked) {
			hooked = true;
			Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "stop-redis-" + port));
		}
		Awaitility.await("redis-server on port " + port).atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(20)).until(this::accepting);
	}

	public synchronized void stop() {
		if (process != null) {
			process.destroyForcibly();
			try {
				process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			process = null;
		}
	}

	@Override
	public void close() {
		stop();
	}

	private boolean accepting() {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.getOutputStream().write("PING\r\n".getBytes());
			byte[] reply = new byte[7];
			return socket.getInputStream().read(reply) > 0 && new String(reply).startsWith("+PONG");
		}
		catch (IOException e) {
			return false;
		}
	}

	private static String binary() {
		for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		throw new IllegalStateException("redis-server is not installed: run 'make test' (installs it with apt as root) "
				+ "or 'apt-get install redis-server'");
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}

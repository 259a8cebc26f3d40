package dev.globalevents.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The local stand-ins for managed infrastructure: a redis-server per region and one ClickHouse (for TrafficPeak). */
final class Infrastructure {

	private Infrastructure() {
	}

	static int freePort() {
		while (true) {
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				// a port is chosen long before its process binds it (the gateway's, a revision's): one free now may have
				// been handed out already, so none is handed out twice
				if (HANDED_OUT.add(socket.getLocalPort())) {
					return socket.getLocalPort();
				}
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
	}

	private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

	/**
	 * A started server, stopped on close; the stack's controls stop it (SIGTERM: Redis writes its AOF, as a pod's
	 * graceful termination), kill it (SIGKILL) and start it again with the same command, port and data directory.
	 */
	static final class Started implements AutoCloseable {

		private final String name;
		private final int port;
		private final ProcessBuilder builder;
		private volatile Process process;

		Started(String name, int port, ProcessBuilder builder) {
			this.name = name;
			this.port = port;
			this.builder = builder;
			start();
		}

		/** Starts the server (again) and waits until it listens. */
		synchronized void start() {
			if (process != null && process.isAlive()) {
				return;
			}
			try {
				process = builder.start();
			}
			catch (IOException e) {
				throw new UncheckedIOException("cannot start " + name + " (make tools installs it)", e);
			}
			awaitPort(port, process, name);
		}

		/** Asks it to stop and waits (SIGTERM, SIGKILL after 10 s). */
		void stop() {
			Infrastructure.stop(process);
		}

		/** Kills it without warning (SIGKILL). */
		void kill() throws InterruptedException {
			process.destroyForcibly().waitFor();
		}

		String name() {
			return name;
		}

		int port() {
			return port;
		}

		long pid() {
			return process.pid();
		}

		boolean alive() {
			return process.isAlive();
		}

		@Override
		public void close() {
			stop();
		}
	}

	/** Asks a process to stop (SIGTERM), and kills it if it has not after 10 s. */
	static void stop(Process process) {
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/** A region's redis-server, with the persistence terraform's Redis has (AOF, fsync every second) in its own directory. */
	static Started redis(String region, Path state) {
		int port = freePort();
		Path dir = state.resolve("redis-" + region);
		try {
			Files.createDirectories(dir);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return new Started("redis " + region, port, new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--appenddirname", "appendonlydir",
				"--dir", dir.toString(), "--logfile", state.resolve("redis-" + region + ".log").toString()));
	}

	static Started clickhouse(Path state) {
		int http = freePort();
		int tcp = freePort();
		Path dir = state.resolve("clickhouse");
		try {
			Files.createDirectories(dir);
			Files.writeString(dir.resolve("users.xml"), """
					<yandex><profiles><default/></profiles><quotas><default/></quotas>
					<users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
					<profile>default</profile><quota>default</quota></default></users></yandex>
					""");
			Files.writeString(dir.resolve("config.xml"), """
					<yandex>
					  <logger><level>warning</level><log>%1$s/server.log</log><errorlog>%1$s/error.log</errorlog></logger>
					  <http_port>%2$d</http_port><tcp_port>%3$d</tcp_port><listen_host>127.0.0.1</listen_host>
					  <path>%1$s/data/</path><tmp_path>%1$s/tmp/</tmp_path><user_files_path>%1$s/user_files/</user_files_path>
					  <format_schema_path>%1$s/format_schemas/</format_schema_path>
					  <users_config>%1$s/users.xml</users_config><timezone>UTC</timezone>
					  <mark_cache_size>67108864</mark_cache_size><uncompressed_cache_size>67108864</uncompressed_cache_size>
					</yandex>
					""".formatted(dir, http, tcp));
			String binary = Files.isExecutable(Path.of("/usr/sbin/clickhouse-server")) ? "/usr/sbin/clickhouse-server" : "clickhouse-server";
			return new Started("clickhouse", http, new ProcessBuilder(binary, "--config-file=" + dir.resolve("config.xml"))
					.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())));
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write clickhouse-server's configuration", e);
		}
	}

	private static void awaitPort(int port, Process process, String what) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
				return;
			}
			catch (IOException notYet) {
				if (!process.isAlive()) {
					throw new IllegalStateException(what + " exited with " + process.exitValue());
				}
				try {
					Thread.sleep(50); // polling a port of a process we started; nothing to wait on otherwise
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(e);
				}
			}
		}
		throw new IllegalStateException(what + " did not listen on " + port + " within 30 s");
	}
}

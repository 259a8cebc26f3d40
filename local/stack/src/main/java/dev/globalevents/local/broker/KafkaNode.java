package dev.globalevents.local.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka (KRaft: broker and controller in one process) on two free loopback ports, run from Apache
 * Kafka's jars on Maven Central ({@code local/kafka/target/lib}, built by {@code make build}), its log under the
 * given folder. The folder is formatted once; {@link #kill()} and {@link #start()} restart the same node on the
 * same log (as a pod on its persistent volume). One node, so topics have one replica: the production cluster has
 * three (Strimzi, {@code knative/kafka}).
 */
public final class KafkaNode implements AutoCloseable {

	private static final System.Logger log = System.getLogger("kafka");

	private final Path lib;
	private final Path dir;
	private final int port;
	private final int controllerPort;
	private volatile Process process;

	public KafkaNode(Path lib, Path dir) {
		if (!Files.isDirectory(lib)) {
			throw new IllegalStateException("no Kafka jars in " + lib + ": run make build");
		}
		this.lib = lib;
		this.dir = dir;
		this.port = freePort();
		this.controllerPort = freePort();
		try {
			Files.createDirectories(dir);
			Files.writeString(dir.resolve("server.properties"), properties());
			if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
				run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
						"-c", dir.resolve("server.properties").toString()), dir.resolve("format.log"));
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		start();
	}

	private String properties() {
		return """
				process.roles=broker,controller
				node.id=1
				controller.quorum.voters=1@127.0.0.1:%2$d
				listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
				advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
				controller.listener.names=CONTROLLER
				inter.broker.listener.name=PLAINTEXT
				listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
				log.dirs=%3$s
				num.partitions=1
				offsets.topic.replication.factor=1
				offsets.topic.num.partitions=5
				transaction.state.log.replication.factor=1
				transaction.state.log.min.isr=1
				share.coordinator.state.topic.replication.factor=1
				share.coordinator.state.topic.min.isr=1
				group.initial.rebalance.delay.ms=0
				broker.heartbeat.interval.ms=500
				broker.session.timeout.ms=3000
				auto.create.topics.enable=false
				""".formatted(port, controllerPort, dir.resolve("data"));
	}

	/** Starts the node (again) on its ports and log, and waits until it listens. */
	public synchronized void start() {
		if (process != null && process.isAlive()) {
			return;
		}
		process = launch(List.of("-Xms256m", "-Xmx384m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
				"-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSX", "kafka.Kafka",
				dir.resolve("server.properties").toString()), dir.resolve("kafka.log"));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
				log.log(System.Logger.Level.INFO, "kafka (single KRaft node) listening on " + bootstrapServers() + ", log in " + dir);
				return;
			}
			catch (IOException notYet) {
				if (!process.isAlive()) {
					throw new IllegalStateException("kafka exited with " + process.exitValue() + "; see " + dir.resolve("kafka.log"));
				}
				pause();
			}
		}
		process.destroyForcibly(); // not left running by a stack that gives up on it (one was, after a failed start)
		throw new IllegalStateException("kafka did not listen on " + port + " within 60 s; see " + dir.resolve("kafka.log"));
	}

	/** Kills the node without warning (SIGKILL), as a crashed pod. */
	public void kill() throws InterruptedException {
		process.destroyForcibly().waitFor();
	}

	public String bootstrapServers() {
		return "127.0.0.1:" + port;
	}

	public long pid() {
		return process.pid();
	}

	public boolean alive() {
		return process.isAlive();
	}

	public Path log() {
		return dir.resolve("kafka.log");
	}

	private Process launch(List<String> arguments, Path output) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", lib.toAbsolutePath() + "/*"));
		command.addAll(arguments);
		try {
			return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot start " + command, e);
		}
	}

	private void run(List<String> arguments, Path output) {
		Process formatting = launch(arguments, output);
		try {
			if (!formatting.waitFor(60, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
				throw new IllegalStateException("formatting the Kafka log failed; see " + output);
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static void pause() {
		try {
			Thread.sleep(100); // polling the port of a process we started
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Stops the node cleanly (SIGTERM: it flushes and closes its log), killing it after 20 s. */
	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}
}

package dev.globalevents.local.serving;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * An instance the scaler starts and stops that is a real loopback server on a fixed port, up only between start and
 * stop, taking the times a process would: to start, per request (it answers 200 with {@code name} and records the
 * request's {@code ce-id}) and to stop (no new connections first, then the requests in progress, then the rest).
 */
final class LoopbackInstance implements RevisionScaler.Instance {

	final Queue<String> answered;
	final AtomicInteger served = new AtomicInteger();
	volatile int starts;
	volatile int stops;
	volatile HttpServer server;

	private final int port;
	private final String name;
	private final Duration startTime;
	private final Duration work;
	private final Duration stopTime;

	LoopbackInstance(String name, Duration startTime, Duration work, Duration stopTime, Queue<String> answered) throws IOException {
		this.port = freePort();
		this.name = name;
		this.startTime = startTime;
		this.work = work;
		this.stopTime = stopTime;
		this.answered = answered;
	}

	LoopbackInstance(String name, Duration startTime) throws IOException {
		this(name, startTime, Duration.ZERO, Duration.ZERO, new ConcurrentLinkedQueue<>());
	}

	@Override
	public URI url() {
		return URI.create("http://127.0.0.1:" + port + "/");
	}

	@Override
	public synchronized void start() throws Exception {
		starts++;
		Thread.sleep(startTime); // a process starting
		HttpServer started = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
		started.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		started.createContext("/", exchange -> {
			exchange.getRequestBody().readAllBytes();
			pause(work); // the work
			String id = exchange.getRequestHeaders().getFirst("ce-id");
			if (id != null) {
				answered.add(id);
			}
			served.incrementAndGet();
			byte[] body = name.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		started.start();
		server = started;
	}

	@Override
	public synchronized void stop() {
		if (server != null) {
			stops++;
			server.stop(1); // no new connections, then up to 1 s for the exchanges in progress, as a graceful shutdown
			server = null;
			pause(stopTime); // the rest of a process' shutdown
		}
	}

	private static void pause(Duration time) {
		try {
			Thread.sleep(time);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}
}

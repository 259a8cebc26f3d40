package dev.globalevents.events.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver on a free loopback port that records every request (a stand-in for a Knative sink in
 * tests). Its answer status can be changed to simulate a sink that is down, and each answer can be delayed to
 * simulate a slow sink with known latencies. Every request is handled on its own virtual thread.
 */
public final class RecordingSink implements AutoCloseable {

	/** One received request: lower-cased headers (first values), the body, the method and the target (path and query). */
	public record Received(Map<String, String> headers, byte[] body, String method, String target) {

		public String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}
	}

	private final HttpServer server;
	private final List<Received> received = new CopyOnWriteArrayList<>();
	private final AtomicInteger status = new AtomicInteger(202);
	private final AtomicInteger requests = new AtomicInteger();
	private final AtomicInteger concurrent = new AtomicInteger();
	private final AtomicInteger maxConcurrent = new AtomicInteger();
	private volatile java.util.function.IntUnaryOperator statusOf = n -> status.get();
	private volatile java.util.function.IntToLongFunction delayMillisOf = n -> 0;

	/** An answer "status" that closes the connection after reading the request, without answering it. */
	public static final int CUT = 0;

	public RecordingSink() {
		try {
			server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", exchange -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
			int n = requests.getAndIncrement();
			long delay = delayMillisOf.applyAsLong(n);
			if (delay > 0) {
				try {
					Thread.sleep(delay);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
			int answer = statusOf.applyAsInt(n);
			if (answer / 100 == 2) {
				Map<String, String> headers = new TreeMap<>();
				exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
				received.add(new Received(headers, body, exchange.getRequestMethod(), exchange.getRequestURI().toString()));
			}
			concurrent.decrementAndGet();
			if (answer == CUT) {
				exchange.close(); // no answer: the connection is closed under the request (it may have been taken)
				return;
			}
			exchange.sendResponseHeaders(answer, -1);
			exchange.close();
		});
		server.start();
	}

	public String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
	}

	/** The status answered from now on; requests answered with a non-2xx status are not recorded. */
	public void answer(int httpStatus) {
		status.set(httpStatus);
		statusOf = n -> status.get();
	}

	/** The status of the n-th request (counting from 0) from now on. */
	public void answer(java.util.function.IntUnaryOperator statusOfRequest) {
		statusOf = statusOfRequest;
	}

	/** How long to wait before answering the n-th request (counting from 0), in ms. */
	public void delay(java.util.function.IntToLongFunction delayMillisOfRequest) {
		delayMillisOf = delayMillisOfRequest;
	}

	/** Requests received, whatever they were answered. */
	public int requests() {
		return requests.get();
	}

	/** The most requests it was answering at the same time. */
	public int maxConcurrent() {
		return maxConcurrent.get();
	}

	public List<Received> received() {
		return List.copyOf(received);
	}

	@Override
	public void close() {
		server.stop(0);
		((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
	}
}

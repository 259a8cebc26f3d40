package dev.globalevents.local.http;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Pooled keep-alive HTTP/1.1 POSTs, each on its own virtual thread: a request takes an idle connection to its target
 * (or opens one) and gives it back when the answer was read whole, so the number of connections follows the number
 * of requests in flight, which the caller bounds. A request that fails on a reused connection for any reason but a
 * timeout (the server closed it while idle) is sent once more on a new one; receivers are idempotent.
 */
public final class Http1Client implements AutoCloseable {

	private final Map<String, Deque<Http1Connection>> idle = new ConcurrentHashMap<>();
	private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

	/** The answer, or a failed future with the IOException (connection refused, timed out, closed early). */
	public CompletableFuture<Http1Connection.Response> post(URI target, Map<String, String> headers, byte[] body, Duration timeout) {
		CompletableFuture<Http1Connection.Response> answer = new CompletableFuture<>();
		threads.execute(() -> {
			try {
				answer.complete(exchange(target, headers, body, timeout));
			}
			catch (IOException | RuntimeException e) {
				answer.completeExceptionally(e);
			}
		});
		return answer;
	}

	/** The same, blocking the calling (virtual) thread. */
	public Http1Connection.Response exchange(URI target, Map<String, String> headers, byte[] body, Duration timeout) throws IOException {
		int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
		Deque<Http1Connection> pool = idle.computeIfAbsent(target.getHost() + ":" + target.getPort() + "/" + millis, k -> new ConcurrentLinkedDeque<>());
		String path = target.getRawPath().isEmpty() ? "/" : target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
		Http1Connection reused = pool.pollFirst();
		if (reused != null) {
			try {
				return keep(pool, reused, reused.exchange("POST", path, headers, body));
			}
			catch (SocketTimeoutException e) {
				throw e;
			}
			catch (IOException e) {
				// closed by the server while idle: once more on a new connection
			}
		}
		Http1Connection fresh = new Http1Connection(target.getHost(), target.getPort(), millis);
		return keep(pool, fresh, fresh.exchange("POST", path, headers, body));
	}

	private static Http1Connection.Response keep(Deque<Http1Connection> pool, Http1Connection connection, Http1Connection.Response response) {
		if (connection.isOpen()) {
			pool.offerFirst(connection);
		}
		return response;
	}

	/** Connections kept open for the next request, over every target. */
	public int idleConnections() {
		return idle.values().stream().mapToInt(Deque::size).sum();
	}

	@Override
	public void close() {
		threads.shutdownNow();
		idle.values().forEach(pool -> pool.forEach(Http1Connection::close));
	}
}

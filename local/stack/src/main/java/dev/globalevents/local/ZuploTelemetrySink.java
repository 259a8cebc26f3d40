package dev.globalevents.local;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;

/**
 * Where the local gateway's runtime sends its telemetry and logs (Zuplo's hosted log service otherwise,
 * {@code __ZUPLO_REMOTE_LOG_URL}): taken and dropped on loopback, so the gateway neither looks up nor calls an outside
 * host, and its log stays free of failed deliveries. Only the count is kept.
 */
final class ZuploTelemetrySink {

	static final String PATH = "/v1/runtime";

	private final AtomicLong received = new AtomicLong();

	void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
			received.incrementAndGet();
			exchange.sendResponseHeaders(204, -1);
		}
	}

	long received() {
		return received.get();
	}
}

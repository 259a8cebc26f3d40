package dev.globalevents.export;

import java.io.ByteArrayInputStream;
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
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;
import dev.globalevents.events.Json;
import tools.jackson.databind.JsonNode;

/**
 * A local stand-in for TrafficPeak's streaming ingest (the one remote service that cannot run here), speaking the
 * documented protocol: {@code POST /ingest/event}, {@code content-type: application/json}, optional
 * {@code content-encoding: gzip}, {@code x-hdx-table} required, a table token checked against
 * {@code Authorization: Bearer}; answers 200, or a scripted status per request (400, 429 with Retry-After, 503, 207).
 * Records what it accepted, decompressed.
 */
final class HydrolixReceiver implements AutoCloseable {

	/** A scripted answer: status, and a Retry-After header when not null. */
	record Answer(int status, String retryAfter) {
	}

	/** One request: the time it arrived (ns), its headers (lower-cased) and rows (null when the body was unreadable). */
	record Request(long nanos, Map<String, String> headers, JsonNode rows) {
	}

	private final HttpServer server;
	private final String token;
	private final List<Request> requests = new CopyOnWriteArrayList<>();
	private final AtomicInteger count = new AtomicInteger();
	private volatile IntFunction<Answer> script = n -> new Answer(200, null);

	HydrolixReceiver(String token) {
		this.token = token;
		try {
			server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", exchange -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			Map<String, String> headers = new TreeMap<>();
			exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
			int status;
			String retryAfter = null;
			JsonNode rows = null;
			if (!exchange.getRequestURI().getPath().equals("/ingest/event") || !"POST".equals(exchange.getRequestMethod())) {
				status = 404;
			}
			else if (!("Bearer " + token).equals(headers.get("authorization"))) {
				status = 403;
			}
			else if (headers.get("x-hdx-table") == null || !"application/json".equals(headers.get("content-type"))) {
				status = 400;
			}
			else {
				try {
					byte[] json = "gzip".equals(headers.get("content-encoding"))
							? new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes() : body;
					rows = Json.MAPPER.readTree(json);
					Answer answer = script.apply(count.getAndIncrement());
					status = answer.status();
					retryAfter = answer.retryAfter();
				}
				catch (IOException | RuntimeException e) {
					status = 400;
				}
			}
			requests.add(new Request(System.nanoTime(), headers, rows));
			if (retryAfter != null) {
				exchange.getResponseHeaders().set("Retry-After", retryAfter);
			}
			byte[] answer = ("{\"code\":" + status + "}").getBytes();
			exchange.sendResponseHeaders(status, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		server.start();
	}

	String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	/** Answers of the n-th well-formed request (from 0). */
	void script(IntFunction<Answer> answers) {
		script = answers;
	}

	List<Request> requests() {
		return List.copyOf(requests);
	}

	@Override
	public void close() {
		server.stop(0);
	}
}

package dev.globalevents.local.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;

/**
 * The broker's ingress, as the Kafka broker's receiver: {@code POST /<namespace>/<broker>} takes a binary or
 * structured CloudEvent, stamps {@code knativearrivaltime} and the broker TTL, appends it to the topic and answers
 * {@code 202} only once Kafka acknowledged the append (acks=all); {@code 400} when the request is not a CloudEvent,
 * {@code 503} when the append failed or timed out (both problem+json, nothing was stored). {@code GET /healthz} is
 * 200 once every Trigger's consumer has its partitions; {@code GET /stats} gives the counters.
 */
final class Receiver implements AutoCloseable {

	static final int MAX_TTL = 255;
	private static final System.Logger log = System.getLogger("broker");
	private static final ObjectMapper JSON = new ObjectMapper();

	static {
		// The SDK finds event formats with ServiceLoader through the calling thread's context class loader. The
		// ingress runs on virtual threads of the JDK's HTTP server, whose loader is the system class loader: inside
		// the packaged jar (nested jars) that loader cannot see cloudevents-json-jackson, no format was found, and
		// every structured-mode event was refused with 400. Naming the format here does not depend on the thread.
		EventFormatProvider.getInstance().registerFormat(new JsonFormat());
		// Without TCP_NODELAY the JDK server's answers wait for the client's delayed ACK (~40 ms each).
		System.setProperty("sun.net.httpserver.nodelay", "true");
	}

	private final TopicWriter topic;
	private final BrokerStats stats;
	private final HttpServer server;
	private final Tracer tracer;
	private final String spanName;

	Receiver(BrokerContract contract, TopicWriter topic, BrokerStats stats, BooleanSupplier ready) {
		this(contract, topic, stats, ready, Tracer.NONE);
	}

	Receiver(BrokerContract contract, TopicWriter topic, BrokerStats stats, BooleanSupplier ready, Tracer tracer) {
		this.topic = topic;
		this.stats = stats;
		this.tracer = tracer;
		this.spanName = "broker:" + contract.name() + "." + contract.namespace();
		try {
			server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), contract.port()), 1024);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot listen on 127.0.0.1:" + contract.port(), e);
		}
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext(contract.path(), this::traced);
		server.createContext("/healthz", exchange -> answer(exchange, ready.getAsBoolean() ? 200 : 503, "text/plain",
				(ready.getAsBoolean() ? "ready" : "not ready: consumers without partitions").getBytes(StandardCharsets.UTF_8)));
		server.createContext("/stats", exchange -> answer(exchange, 200, "application/json", stats.json()));
		server.createContext(FAULTS, exchange -> loseReplies(exchange, contract, stats));
		server.createContext("/metrics", exchange -> answer(exchange, 200, BrokerStats.PROMETHEUS_TEXT, stats.prometheus(contract.namespace(), contract.name())));
		server.start();
	}

	static final String FAULTS = "/faults/lose-replies";

	int port() {
		return server.getAddress().getPort();
	}

	/** One span per request, under the sender's {@code traceparent}; the stored event carries the span's context on. */
	private void traced(HttpExchange exchange) throws IOException {
		Tracer.Span span = tracer.start(spanName, "SERVER", TraceContext.parse(exchange.getRequestHeaders().getFirst(TraceContext.HEADER)));
		try {
			ingress(exchange, span);
		}
		finally {
			span.tag("http.status_code", exchange.getResponseCode()).finish();
		}
	}

	private void ingress(HttpExchange exchange, Tracer.Span span) throws IOException {
		if (!"POST".equals(exchange.getRequestMethod())) {
			exchange.getResponseHeaders().set("Allow", "POST");
			problem(exchange, 405, "method-not-allowed", "The broker ingress takes POST");
			return;
		}
		byte[] body = exchange.getRequestBody().readAllBytes();
		CloudEvent event;
		try {
			event = HttpMessageFactory.createReaderFromMultimap(exchange.getRequestHeaders(), body).toEvent();
		}
		catch (RuntimeException e) {
			stats.refused();
			problem(exchange, 400, "not-a-cloudevent", "Not a CloudEvent: " + e.getMessage());
			return;
		}
		span.tag("messaging.message.id", event.getId()).tag("cloudevents.event_type", event.getType());
		Object ttl = event.getExtension("knativebrokerttl");
		CloudEvent stamped = stamped(event, ttl == null ? MAX_TTL : Integer.parseInt(ttl.toString()));
		try {
			topic.append(stamped, span.context()).get(topic.timeout().toMillis(), TimeUnit.MILLISECONDS);
			stats.accepted();
			answer(exchange, 202, null, new byte[0]);
		}
		catch (ExecutionException | TimeoutException e) {
			stats.appendFailed();
			// per event at debug: the 10 s summary counts them (not-stored), a Kafka outage is not hundreds of lines a second
			log.log(System.Logger.Level.DEBUG, "append of " + event.getId() + " failed: " + e);
			problem(exchange, 503, "append-failed", "The event was not stored (Kafka did not acknowledge it: "
					+ (e instanceof TimeoutException ? "timed out" : e.getCause()) + "); send it again");
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			problem(exchange, 503, "append-failed", "The broker is stopping; send the event again");
		}
	}

	/** The event as the broker stores it: with the time it arrived and how many more hops it may take. */
	static CloudEvent stamped(CloudEvent event, int ttl) {
		return CloudEventBuilder.from(event).withExtension("knativearrivaltime", Instant.now().toString())
				.withExtension("knativebrokerttl", ttl).build();
	}

	private static void problem(HttpExchange exchange, int status, String type, String detail) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "https://globalevents.dev/problems/broker/" + type);
		problem.put("title", type.replace('-', ' '));
		problem.put("status", status);
		problem.put("detail", detail);
		answer(exchange, status, "application/problem+json", JSON.writeValueAsBytes(problem));
	}

	/**
	 * {@code POST /faults/lose-replies?trigger=<name>&count=<n>}: the Trigger's next n replies are lost after the
	 * subscriber answered (as a connection that drops then) and the event is delivered again, to show a subscriber's
	 * retried delivery is answered as the first was. Loopback only, as the whole broker.
	 */
	private static void loseReplies(HttpExchange exchange, BrokerContract contract, BrokerStats stats) throws IOException {
		Map<String, String> query = new java.util.HashMap<>();
		String raw = exchange.getRequestURI().getQuery();
		for (String pair : raw == null ? new String[0] : raw.split("&")) {
			int eq = pair.indexOf('=');
			if (eq > 0) {
				query.put(pair.substring(0, eq), pair.substring(eq + 1));
			}
		}
		String trigger = query.get("trigger");
		boolean known = contract.routes().stream().anyMatch(route -> route.name().equals(trigger));
		if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals(FAULTS) || !known
				|| !query.getOrDefault("count", "").matches("[1-9][0-9]{0,5}")) {
			answer(exchange, 400, "application/problem+json", ("{\"title\":\"Bad fault\",\"status\":400,\"detail\":\"POST " + FAULTS
					+ "?trigger=<one of the broker's Triggers>&count=<1..999999>\"}").getBytes(StandardCharsets.UTF_8));
			return;
		}
		long count = Long.parseLong(query.get("count"));
		long pending = stats.trigger(trigger).repliesToLose.addAndGet(count);
		log.log(System.Logger.Level.WARNING, trigger + ": the next " + pending + " replies will be lost (injected fault)");
		answer(exchange, 200, "application/json", ("{\"trigger\":\"" + trigger + "\",\"replies_to_lose\":" + pending + "}").getBytes(StandardCharsets.UTF_8));
	}

	private static void answer(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		try (exchange) {
			if (contentType != null) {
				exchange.getResponseHeaders().set("Content-Type", contentType);
			}
			exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
			exchange.getResponseBody().write(body);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}
}

package dev.globalevents.local.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;

/**
 * One Knative Broker for the local stack, with the data-plane semantics the manifests rely on: the ingress
 * ({@code POST /<namespace>/<broker>}, binary or structured CloudEvents, 202) stamps {@code knativearrivaltime};
 * every Trigger whose filters match gets the event in binary mode with {@code Prefer: reply}; a 2xx with a
 * CloudEvent is a reply and is published back to the broker (a non-empty body that is not a CloudEvent is a
 * failure, 502); failures are retried on the statuses Knative retries with the Trigger's backoff; what still fails
 * goes to the dead-letter sink with {@code knativeerrordest}, {@code knativeerrorcode}, {@code knativeerrordata}
 * (base64 of the answer, at most 1,024 characters). {@code knativebrokerttl} (255) stops reply loops.
 */
public final class LocalBroker implements AutoCloseable {

	private static final System.Logger log = System.getLogger("broker");
	private static final int MAX_TTL = 255;

	static {
		// The SDK finds event formats with ServiceLoader through the calling thread's context class loader. The
		// ingress runs on virtual threads of the JDK's HTTP server, whose loader is the system class loader: inside
		// the packaged jar (nested jars) that loader cannot see cloudevents-json-jackson, no format was found, and
		// every structured-mode event was refused with 400. Naming the format here does not depend on the thread.
		EventFormatProvider.getInstance().registerFormat(new JsonFormat());
	}

	private final String namespace;
	private final String name;
	private final List<Route> routes;
	private final HttpServer server;
	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
	private final AtomicLong delivered = new AtomicLong();
	private final AtomicLong deadLettered = new AtomicLong();
	private final AtomicLong retried = new AtomicLong();

	public LocalBroker(String namespace, String name, List<Route> routes, int port) {
		this.namespace = namespace;
		this.name = name;
		this.routes = routes;
		try {
			server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/" + namespace + "/" + name, this::ingress);
		server.start();
		log.log(System.Logger.Level.INFO, "broker " + namespace + "/" + name + " listening on " + ingress() + " with "
				+ routes.size() + " trigger(s): " + routes.stream().map(r -> r.name() + " -> " + r.subscriber()).toList());
	}

	public URI ingress() {
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + namespace + "/" + name);
	}

	/** This broker's Triggers with where they deliver. */
	public List<Route> routes() {
		return routes;
	}

	public Map<String, Long> counts() {
		return Map.of("delivered", delivered.get(), "retried", retried.get(), "dead_lettered", deadLettered.get());
	}

	private void ingress(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!"POST".equals(exchange.getRequestMethod())) {
				exchange.sendResponseHeaders(405, -1);
				return;
			}
			byte[] body = exchange.getRequestBody().readAllBytes();
			CloudEvent event;
			try {
				event = HttpMessageFactory.createReaderFromMultimap(exchange.getRequestHeaders(), body).toEvent();
			}
			catch (RuntimeException e) {
				byte[] answer = ("not a CloudEvent: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(400, answer.length);
				exchange.getResponseBody().write(answer);
				return;
			}
			publish(event);
			exchange.sendResponseHeaders(202, -1);
		}
	}

	/** Routes an event to every matching Trigger (asynchronously). */
	public void publish(CloudEvent incoming) {
		Object ttlValue = incoming.getExtension("knativebrokerttl");
		int ttl = ttlValue == null ? MAX_TTL : Integer.parseInt(ttlValue.toString());
		if (ttl <= 0) {
			log.log(System.Logger.Level.WARNING, "dropped " + incoming.getType() + " " + incoming.getId() + ": knativebrokerttl exhausted (a reply loop?)");
			return;
		}
		CloudEvent event = CloudEventBuilder.from(incoming)
				.withExtension("knativearrivaltime", java.time.Instant.now().toString())
				.withExtension("knativebrokerttl", ttl)
				.build();
		Map<String, String> attributes = attributes(event);
		for (Route route : routes) {
			if (Filters.matches(route.trigger(), attributes)) {
				deliver(route, event, 0);
			}
		}
	}

	private void deliver(Route route, CloudEvent event, int attempt) {
		send(route.subscriber(), withoutTtl(event), route.delivery().timeout(), true).thenAccept(answer -> {
			int status = answer.status();
			CloudEvent reply = null;
			if (status / 100 == 2 && answer.body().length > 0) {
				try {
					reply = HttpMessageFactory.createReaderFromMultimap(answer.headers(), answer.body()).toEvent();
				}
				catch (RuntimeException e) {
					status = 502;
				}
			}
			else if (status / 100 == 2 && answer.headers().keySet().stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).equals("ce-id"))) {
				reply = HttpMessageFactory.createReaderFromMultimap(answer.headers(), answer.body()).toEvent();
			}
			if (status / 100 == 2) {
				delivered.incrementAndGet();
				if (reply != null) {
					int ttl = Integer.parseInt(String.valueOf(event.getExtension("knativebrokerttl")));
					publish(CloudEventBuilder.from(reply).withExtension("knativebrokerttl", ttl - 1).build());
				}
				return;
			}
			if (Delivery.retryable(status) && attempt < route.delivery().retry()) {
				retried.incrementAndGet();
				long wait = route.delivery().backoff(attempt + 1).toMillis();
				CompletableFuture.runAsync(() -> deliver(route, event, attempt + 1),
						CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS));
				return;
			}
			deadLetter(route, event, status, answer.body());
		});
	}

	private void deadLetter(Route route, CloudEvent event, int status, byte[] answer) {
		deadLettered.incrementAndGet();
		URI sink = route.delivery().deadLetterSink();
		String data = Base64.getEncoder().encodeToString(answer);
		log.log(System.Logger.Level.INFO, route.name() + ": " + event.getType() + " " + event.getId() + " failed with " + status
				+ (sink == null ? "; no dead-letter sink: dropped" : "; dead-lettered to " + sink));
		if (sink == null) {
			return;
		}
		CloudEvent dead = CloudEventBuilder.from(withoutTtl(event))
				.withExtension("knativeerrordest", route.subscriber().toString())
				.withExtension("knativeerrorcode", status < 0 ? 500 : status)
				.withExtension("knativeerrordata", data.length() > 1024 ? data.substring(0, 1024) : data)
				.build();
		send(sink, dead, route.delivery().timeout(), false).thenAccept(result -> {
			if (result.status() / 100 != 2) {
				log.log(System.Logger.Level.ERROR, "dead-letter sink " + sink + " answered " + result.status() + " for "
						+ event.getId() + ": the event is lost");
			}
		});
	}

	private CompletableFuture<Answer> send(URI target, CloudEvent event, Duration timeout, boolean preferReply) {
		Map<String, String> headers = new HashMap<>();
		byte[][] body = new byte[1][];
		HttpMessageFactory.createWriter(headers::put, bytes -> body[0] = bytes).writeBinary(event);
		HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
				.POST(HttpRequest.BodyPublishers.ofByteArray(body[0] == null ? new byte[0] : body[0]))
				.header("Kn-Namespace", namespace);
		if (preferReply) {
			request.header("Prefer", "reply");
		}
		headers.forEach(request::header);
		return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
				.thenApply(response -> new Answer(response.statusCode(), response.headers().map(), response.body()))
				.exceptionally(e -> new Answer(-1, Map.of(), String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8)));
	}

	private static CloudEvent withoutTtl(CloudEvent event) {
		return event.getExtension("knativebrokerttl") == null ? event
				: CloudEventBuilder.from(event).withoutExtension("knativebrokerttl").build();
	}

	public static Map<String, String> attributes(CloudEvent event) {
		Map<String, String> attributes = new HashMap<>();
		attributes.put("specversion", event.getSpecVersion().toString());
		attributes.put("id", event.getId());
		attributes.put("type", event.getType());
		attributes.put("source", event.getSource().toString());
		if (event.getSubject() != null) {
			attributes.put("subject", event.getSubject());
		}
		if (event.getDataContentType() != null) {
			attributes.put("datacontenttype", event.getDataContentType());
		}
		if (event.getTime() != null) {
			attributes.put("time", event.getTime().toString());
		}
		for (String extension : event.getExtensionNames()) {
			attributes.put(extension, String.valueOf(event.getExtension(extension)));
		}
		return attributes;
	}

	private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
	}

	@Override
	public void close() {
		server.stop(0);
	}
}

package dev.globalevents.local.serving;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The local counterpart of a Knative Service's route: listens on the Service's address and passes each request on to
 * one of its revisions, as {@link ServiceRevisions#choose(String)} decides (the traffic split, or the revision of the
 * tag in a {@code Knative-Serving-Tag} header, as Knative's tag-header routing does), to one of that revision's
 * instances ({@link RevisionScaler}: a request for a revision scaled to zero waits while an instance starts, as
 * Knative's activator holds it). A revision that does not answer gets the request answered 503 with a problem, which
 * the broker retries like any 5xx.
 */
public final class RevisionRouter implements AutoCloseable {

	/** Knative's header for routing a request to a tagged revision (feature tag-header-based-routing). */
	public static final String TAG_HEADER = "Knative-Serving-Tag";
	private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
			"transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

	private static final ObjectMapper JSON = new ObjectMapper();
	/** How long a request waits for an instance of a revision scaling from zero (Knative's activator waits as long). */
	static final Duration ACTIVATION_TIMEOUT = Duration.ofSeconds(60);

	private final ServiceRevisions service;
	private final HttpServer server;
	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();

	public RevisionRouter(ServiceRevisions service, int port) throws IOException {
		this.service = service;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", this::forward);
		server.start();
	}

	public URI url() {
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
	}

	private void forward(HttpExchange exchange) throws IOException {
		try (exchange) {
			String revision = service.choose(exchange.getRequestHeaders().getFirst(TAG_HEADER));
			RevisionScaler scaler = revision == null ? null : service.scaler(revision);
			if (scaler == null) {
				problem(exchange, 503, "no ready revision of " + service.name() + " for this request");
				return;
			}
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			RevisionScaler.Lease lease;
			try {
				lease = scaler.acquire(ACTIVATION_TIMEOUT); // waits while the revision scales from zero
			}
			catch (TimeoutException e) {
				problem(exchange, 503, e.getMessage());
				return;
			}
			try {
				send(exchange, revision, lease.url(), body);
			}
			finally {
				scaler.release(lease);
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private void send(HttpExchange exchange, String revision, URI target, byte[] body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getRawPath()
						+ (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
				.timeout(Duration.ofSeconds(60))
				.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
		exchange.getRequestHeaders().forEach((name, values) -> {
			if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
				values.forEach(value -> request.header(name, value));
			}
		});
		HttpResponse<byte[]> response;
		try {
			response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (ConnectException e) {
			service.failed(revision);
			problem(exchange, 503, "revision " + revision + " of " + service.name() + " does not answer (" + e.getMessage() + ")");
			return;
		}
		catch (HttpTimeoutException e) {
			service.failed(revision);
			problem(exchange, 504, "revision " + revision + " of " + service.name() + " did not answer in time");
			return;
		}
		catch (IOException e) {
			service.failed(revision);
			problem(exchange, 502, "revision " + revision + " of " + service.name() + " broke off: " + e.getMessage());
			return;
		}
		service.answered(revision, response.statusCode());
		response.headers().map().forEach((name, values) -> {
			if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
				exchange.getResponseHeaders().put(name, List.copyOf(values));
			}
		});
		byte[] answer = response.body();
		boolean empty = answer.length == 0 || exchange.getRequestMethod().equals("HEAD");
		exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : answer.length);
		if (!empty) {
			exchange.getResponseBody().write(answer);
		}
	}

	private static void problem(HttpExchange exchange, int status, String detail) throws IOException {
		byte[] body = JSON.writeValueAsBytes(Map.of("type", "urn:globalevents:problem:revision-unavailable", "title", "No revision answered",
				"status", status, "detail", detail));
		exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
		exchange.sendResponseHeaders(status, body.length);
		exchange.getResponseBody().write(body);
	}

	@Override
	public void close() {
		server.stop(0);
		client.close();
	}
}

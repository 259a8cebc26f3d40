package dev.globalevents.local.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker's HTTP/1.1 client against real servers: every way an answer can end, keep-alive reuse, a dead peer. */
class Http1ClientTest {

	private final Http1Client client = new Http1Client();
	private HttpServer server;

	@AfterEach
	void stop() {
		client.close();
		if (server != null) {
			server.stop(0);
		}
	}

	/** Answers with the request body echoed, in the framing asked for: fixed length, chunked, or none (202). */
	private URI echo(AtomicInteger connections) throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", exchange -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			exchange.getResponseHeaders().add("Ce-Id", "reply-1");
			exchange.getResponseHeaders().add("X-Twice", "a");
			exchange.getResponseHeaders().add("X-Twice", "b");
			String framing = exchange.getRequestURI().getPath().substring(1);
			switch (framing) {
				case "chunked" -> exchange.sendResponseHeaders(200, 0);
				case "empty" -> exchange.sendResponseHeaders(202, -1);
				default -> exchange.sendResponseHeaders(200, body.length);
			}
			if (!framing.equals("empty")) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
			exchange.close();
		});
		server.start();
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
	}

	@ParameterizedTest
	@ValueSource(strings = { "fixed", "chunked" })
	void readsTheWholeAnswerWithItsHeadersHoweverItIsFramed(String framing) throws Exception {
		URI base = echo(new AtomicInteger());
		byte[] body = "x".repeat(70_000).getBytes(StandardCharsets.UTF_8);
		Http1Connection.Response response = client.post(base.resolve(framing), Map.of("Ce-Id", "e-1"), body, Duration.ofSeconds(5)).get();
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(body);
		assertThat(response.headers()).containsEntry("Ce-id", java.util.List.of("reply-1")).containsEntry("X-twice", java.util.List.of("a", "b"));
	}

	@Test
	void anAnswerWithoutBodyKeepsTheConnectionForTheNextRequest() throws Exception {
		URI base = echo(new AtomicInteger());
		for (int i = 0; i < 20; i++) {
			assertThat(client.exchange(base.resolve("empty"), Map.of(), new byte[0], Duration.ofSeconds(5)).status()).isEqualTo(202);
		}
		assertThat(client.idleConnections()).isEqualTo(1);
	}

	@Test
	void aConnectionTheServerClosedWhileIdleIsReplacedWithoutFailingTheRequest() throws Exception {
		AtomicInteger accepted = new AtomicInteger();
		try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Thread.ofVirtual().start(() -> { // answers one request per connection, then closes it without saying so
				while (!socket.isClosed()) {
					try (Socket connection = socket.accept()) {
						accepted.incrementAndGet();
						InputStream in = connection.getInputStream();
						byte[] head = new byte[4096];
						int read = in.read(head);
						String request = new String(head, 0, Math.max(read, 0), StandardCharsets.ISO_8859_1);
						assertThat(request).startsWith("POST /x HTTP/1.1");
						connection.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
					}
					catch (IOException e) {
						return;
					}
				}
			});
			URI target = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/x");
			for (int i = 0; i < 3; i++) {
				Http1Connection.Response response = client.exchange(target, Map.of(), "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
				assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
			}
			assertThat(accepted.get()).isEqualTo(3);
		}
	}

	@Test
	void nobodyListeningFailsTheRequest() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		assertThatThrownBy(() -> client.post(URI.create("http://127.0.0.1:" + port + "/"), Map.of(), new byte[0], Duration.ofSeconds(2)).get())
				.hasCauseInstanceOf(IOException.class);
	}
}

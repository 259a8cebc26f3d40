package dev.globalevents.events.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte: requests a client library would refuse to send (invalid header bytes,
 * a broken Content-Length or chunked body, oversized heads) and a strict reading of the answer. A server that does
 * not answer within the timeout fails the test: bad input must never hang.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/** A request as bytes on the wire. */
	public record Request(String method, String target, List<byte[]> headerLines, byte[] body) {

		byte[] bytes() {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			out.writeBytes((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
			for (byte[] line : headerLines) {
				out.writeBytes(line);
				out.writeBytes(new byte[] { '\r', '\n' });
			}
			out.writeBytes(new byte[] { '\r', '\n' });
			out.writeBytes(body);
			return out.toByteArray();
		}
	}

	/** An answer: status, headers (names lower-cased), body. */
	public record Response(int status, Map<String, String> headers, byte[] body) {

		public String text() {
			return new String(body, StandardCharsets.UTF_8);
		}

		public String contentType() {
			return headers.getOrDefault("content-type", "");
		}
	}

	public static Response send(String host, int port, Request request, Duration timeout) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			socket.getOutputStream().write(request.bytes());
			socket.getOutputStream().flush();
			return read(socket.getInputStream());
		}
		catch (SocketTimeoutException e) {
			throw new AssertionError("no answer within " + timeout + " to " + request.method() + " " + abbreviated(request.target())
					+ ": bad input must never hang the server", e);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static Response read(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int last4 = 0;
		while (last4 != 0x0d0a0d0a) { // the head ends with CRLF CRLF
			int b = in.read();
			if (b < 0) {
				throw new AssertionError("the connection closed without an answer (head so far: " + head.toString(StandardCharsets.ISO_8859_1) + ")");
			}
			head.write(b);
			last4 = (last4 << 8) | b;
		}
		String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
			}
		}
		byte[] body;
		if (headers.containsKey("content-length")) {
			body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
		}
		else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			body = chunked(in);
		}
		else {
			body = in.readAllBytes();
		}
		return new Response(status, headers, body);
	}

	private static byte[] chunked(InputStream in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (;;) {
			String size = line(in);
			int length = Integer.parseInt(size.split(";")[0].trim(), 16);
			if (length == 0) {
				line(in);
				return body.toByteArray();
			}
			body.writeBytes(in.readNBytes(length));
			line(in);
		}
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	private static String abbreviated(String text) {
		return text.length() > 80 ? text.substring(0, 80) + "…" : text;
	}
}

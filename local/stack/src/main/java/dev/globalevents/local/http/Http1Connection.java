package dev.globalevents.local.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection on a blocking socket (meant for a virtual thread): sends a request, reads the
 * whole answer (Content-Length, chunked, or until the server closes). The broker's dispatcher and the end-to-end
 * benchmark use it instead of the JDK's HttpClient, whose per-request cost was the largest on the 2-core machine
 * (the benchmark client alone took 75% of a core at 600 requests/s with it, about a quarter with this).
 */
public final class Http1Connection implements AutoCloseable {

	/** An answer: status, headers (names as sent), body. */
	public record Response(int status, Map<String, List<String>> headers, byte[] body) {
	}

	private final String host;
	private final int port;
	private final int timeoutMillis;
	private Socket socket;
	private InputStream in;
	private OutputStream out;

	/** {@code timeoutMillis}: for connecting and for each read of the answer. */
	public Http1Connection(String host, int port, int timeoutMillis) {
		this.host = host;
		this.port = port;
		this.timeoutMillis = timeoutMillis;
	}

	/** Whether a connection is open (a request on it may find that the server closed it meanwhile). */
	public boolean isOpen() {
		return socket != null;
	}

	/** Sends a request with a body (Content-Length is added) and reads the answer; on failure the connection closes. */
	public Response exchange(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
		if (socket == null) {
			socket = new Socket();
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress(host, port), timeoutMillis);
			socket.setSoTimeout(timeoutMillis);
			in = new BufferedInputStream(socket.getInputStream(), 8192);
			out = socket.getOutputStream();
		}
		try {
			StringBuilder head = new StringBuilder(512).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
					.append(host).append(':').append(port).append("\r\n");
			headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
			head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
			ByteArrayOutputStream request = new ByteArrayOutputStream(head.length() + body.length);
			request.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
			request.writeBytes(body);
			out.write(request.toByteArray());
			out.flush();
			return readResponse();
		}
		catch (IOException | RuntimeException e) {
			close();
			throw e instanceof IOException io ? io : new IOException("malformed answer: " + e, e);
		}
	}

	private Response readResponse() throws IOException {
		int status = Integer.parseInt(line().split(" ", 3)[1]);
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String header = line(); !header.isEmpty(); header = line()) {
			int colon = header.indexOf(':');
			headers.computeIfAbsent(header.substring(0, colon).trim(), k -> new ArrayList<>(1)).add(header.substring(colon + 1).trim());
		}
		String length = value(headers, "content-length");
		String encoding = value(headers, "transfer-encoding");
		boolean closing = "close".equalsIgnoreCase(value(headers, "connection"));
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
			for (int size = chunkSize(); size > 0; size = chunkSize()) {
				body.writeBytes(in.readNBytes(size));
				line();
			}
			for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
				// trailers are not used
			}
		}
		else if (length != null) {
			body.writeBytes(in.readNBytes(Integer.parseInt(length)));
		}
		else if (status != 204 && status != 304 && status / 100 != 1) {
			closing = true;
			in.transferTo(body);
		}
		if (closing) {
			close();
		}
		return new Response(status, headers, body.toByteArray());
	}

	private int chunkSize() throws IOException {
		return Integer.parseInt(line().split(";", 2)[0].trim(), 16);
	}

	private static String value(Map<String, List<String>> headers, String name) {
		return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().getFirst()).findFirst().orElse(null);
	}

	private String line() throws IOException {
		StringBuilder line = new StringBuilder(64);
		for (int c = in.read(); c != '\n'; c = in.read()) {
			if (c < 0) {
				throw new IOException("the server closed the connection");
			}
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	@Override
	public void close() {
		if (socket != null) {
			try {
				socket.close();
			}
			catch (IOException ignored) {
				// closing a connection that failed
			}
			socket = null;
		}
	}
}

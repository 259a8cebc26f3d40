package dev.globalevents.runtime.tracing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

/** Spans to Zipkin's v2 API ({@code POST /api/v2/spans}, a JSON list) over the JDK's HTTP client. */
final class ZipkinHttpSender implements BytesMessageSender {

	private static final int MAX_MESSAGE_BYTES = 500_000;

	private final URI endpoint;
	private final Duration timeout;
	private final HttpClient http;

	ZipkinHttpSender(URI endpoint, Duration timeout) {
		this.endpoint = endpoint;
		this.timeout = timeout;
		this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
	}

	@Override
	public Encoding encoding() {
		return Encoding.JSON;
	}

	@Override
	public int messageMaxBytes() {
		return MAX_MESSAGE_BYTES;
	}

	@Override
	public int messageSizeInBytes(List<byte[]> spans) {
		return Encoding.JSON.listSizeInBytes(spans);
	}

	@Override
	public int messageSizeInBytes(int spanBytes) {
		return Encoding.JSON.listSizeInBytes(spanBytes);
	}

	@Override
	public void send(List<byte[]> spans) throws IOException {
		HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(Encoding.JSON.encode(spans))).build();
		try {
			int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
			if (status / 100 != 2) {
				throw new IOException("Zipkin at " + endpoint + " answered " + status);
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while sending spans to " + endpoint, e);
		}
	}

	@Override
	public void close() {
		http.close();
	}
}

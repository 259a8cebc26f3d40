package dev.globalevents.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import dev.globalevents.events.Json;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link RowSink} for Akamai TrafficPeak through the Hydrolix HTTP streaming ingest API: {@code POST
 * <url>/ingest/event} with a gzip-compressed JSON array of rows, {@code x-hdx-table: <project>.<table>},
 * {@code x-hdx-transform}, and {@code Authorization: Bearer <token>} (or Basic with user and password). A 207
 * (Multi-Status) answer means some rows were refused: they are counted as rejected, not retried.
 */
final class TrafficPeakSink implements RowSink {

	private static final Log log = LogFactory.getLog(TrafficPeakSink.class);

	private final URI endpoint;
	private final String table;
	private final String transform;
	private final String authorization;
	private final HttpDelivery delivery;
	private final ExportMetrics metrics;

	TrafficPeakSink(String url, String table, String transform, String authorization, HttpDelivery delivery, ExportMetrics metrics) {
		this.endpoint = URI.create((url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/ingest/event");
		this.table = table;
		this.transform = transform;
		this.authorization = authorization;
		this.delivery = delivery;
		this.metrics = metrics;
	}

	@Override
	public Mono<Void> write(List<ObjectNode> rows) {
		byte[] body = gzip(Json.MAPPER.writeValueAsBytes(rows));
		return delivery.send(() -> {
			HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(java.time.Duration.ofSeconds(10))
					.header("Content-Type", "application/json")
					.header("Content-Encoding", "gzip")
					.header("x-hdx-table", table)
					.POST(HttpRequest.BodyPublishers.ofByteArray(body));
			if (transform != null && !transform.isBlank()) {
				request.header("x-hdx-transform", transform);
			}
			if (authorization != null && !authorization.isBlank()) {
				request.header("Authorization", authorization);
			}
			return request.build();
		}).doOnNext(response -> {
			if (response.statusCode() == 207) {
				log.warn("TrafficPeak took the batch only in part (207): " + response.body());
				metrics.rejected(1);
			}
		}).then();
	}

	static byte[] gzip(byte[] bytes) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(bytes);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return out.toByteArray();
	}

	@Override
	public String describe() {
		return "trafficpeak " + endpoint + " table " + table;
	}
}

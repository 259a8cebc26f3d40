package dev.globalevents.edge;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import dev.globalevents.runtime.web.CloudEventRoutes;
import dev.globalevents.runtime.web.Problem;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The next hop of a request: method, body and the headers that carry meaning (the CloudEvent's {@code ce-*}
 * attributes, content type, trace context) go on over pooled keep-alive connections; the answer comes back with its
 * status, body and the headers a caller needs. Nothing else crosses, credentials included. A next hop that cannot be
 * reached is a 502 {@code upstream-unreachable} (it took nothing), one that closes the connection under the request a
 * 502 {@code upstream-outcome-unknown} and one that does not answer in time a 504 (both: it may have taken it), as
 * problem+json.
 */
final class Upstream {

	private static final Set<String> FORWARDED = Set.of("content-type", "accept", "traceparent", "tracestate");
	private static final Set<String> RETURNED = Set.of("content-type", "location", "retry-after");
	/** The largest answer passed back (a replay's or a window list's JSON). */
	private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

	private final WebClient client;
	private final Duration timeout;
	private final int maxBodyBytes;

	/** {@code maxBodyBytes}: larger requests are answered 413 without being forwarded. */
	Upstream(WebClient client, Duration timeout, int maxBodyBytes) {
		this.client = client;
		this.timeout = timeout;
		this.maxBodyBytes = maxBodyBytes;
	}

	/**
	 * Forwards the request once its body is read whole: a request is never started on the next hop with a body still
	 * streaming in, so a caller that gives up (the gateway's deadline while Kafka restarts) cannot leave a pooled
	 * connection waiting for the rest of a body that never comes (it did, for two minutes, holding every connection).
	 */
	Mono<ServerResponse> forward(ServerRequest request, URI target, Consumer<HttpHeaders> extra) {
		return CloudEventRoutes.body(request, maxBodyBytes)
				.flatMap(body -> send(request, body, target, extra))
				.onErrorResume(DataBufferLimitException.class, e -> Problems.response(Problem.of(413, "too-large", "Request too large",
						"The request body exceeds " + maxBodyBytes + " bytes")));
	}

	private Mono<ServerResponse> send(ServerRequest request, byte[] body, URI target, Consumer<HttpHeaders> extra) {
		WebClient.RequestBodySpec call = client.method(request.method()).uri(target);
		call.headers(headers -> {
			request.headers().asHttpHeaders().forEach((name, values) -> {
				String lower = name.toLowerCase(Locale.ROOT);
				if (FORWARDED.contains(lower) || lower.startsWith("ce-")) {
					headers.addAll(name, values);
				}
			});
			extra.accept(headers);
		});
		return (body.length == 0 ? call : call.bodyValue(body))
				.exchangeToMono(answer -> DataBufferUtils.join(answer.bodyToFlux(DataBuffer.class), MAX_ANSWER_BYTES)
						.map(Upstream::bytes).defaultIfEmpty(new byte[0])
						.flatMap(answered -> {
							ServerResponse.BodyBuilder response = ServerResponse.status(answer.statusCode());
							answer.headers().asHttpHeaders().forEach((name, values) -> {
								if (RETURNED.contains(name.toLowerCase(Locale.ROOT))) {
									response.header(name, values.toArray(String[]::new));
								}
							});
							return answered.length == 0 ? response.build() : response.bodyValue(answered);
						}))
				.timeout(timeout)
				.onErrorResume(TimeoutException.class, e -> Problems.response(Problem.of(504, "upstream-timeout", "The region did not answer in time",
						target.getPath() + " took over " + timeout.toMillis() + " ms")))
				.onErrorResume(WebClientRequestException.class, e -> Problems.response(e.getMostSpecificCause() instanceof ConnectException
						? Problem.of(502, "upstream-unreachable", "The region's next hop is unreachable",
								target.getPath() + ": " + e.getMostSpecificCause().getMessage())
						// the request went out and the connection closed without an answer: it may have been taken, and
						// the gateway must not send it to another region (zuplo/modules/failover.ts)
						: Problem.of(502, "upstream-outcome-unknown", "The region's next hop did not answer",
								target.getPath() + " closed the connection without an answer (" + e.getMostSpecificCause().getMessage()
										+ "): it may have taken the request")));
	}

	private static byte[] bytes(DataBuffer buffer) {
		byte[] bytes = new byte[buffer.readableByteCount()];
		buffer.read(bytes);
		DataBufferUtils.release(buffer);
		return bytes;
	}
}

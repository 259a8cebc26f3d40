package dev.globalevents.runtime.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.events.Json;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.micrometer.common.KeyValue;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The HTTP face of a pipeline function: {@code POST <path>} takes a CloudEvent in binary, structured or batch mode,
 * hands it to the function, and answers as Knative expects: 200 with a CloudEvent (binary mode) is a reply, 200
 * empty is an acknowledgement, 4xx is final (dead-lettered), 503 is retried. Replies are built from the function's
 * result only, so no request header is ever echoed back (that would make a Knative trigger loop).
 */
public final class CloudEventRoutes {

	private static final Log log = LogFactory.getLog(CloudEventRoutes.class);
	private static final MediaType PROBLEM = MediaType.parseMediaType(Problem.MEDIA_TYPE);
	private static final MediaType BATCH = MediaType.parseMediaType(CloudEventCodec.BATCH);

	private CloudEventRoutes() {
	}

	/**
	 * @param path         where to accept events ({@code /} for a Knative subscriber)
	 * @param maxBodyBytes larger requests are answered 413 without being read
	 * @param function     decides what to do with the decoded event(s)
	 */
	public static RouterFunction<ServerResponse> route(String path, int maxBodyBytes,
			Function<CloudEventCodec.Inbound, Mono<Outcome>> function) {
		return route(path, maxBodyBytes, function, problem -> {
		});
	}

	/**
	 * As {@link #route(String, int, Function)}, telling {@code refused} about every request refused before the
	 * function saw it (too large, not decodable as a CloudEvent), so it can be counted like the function's own
	 * rejections.
	 */
	public static RouterFunction<ServerResponse> route(String path, int maxBodyBytes,
			Function<CloudEventCodec.Inbound, Mono<Outcome>> function, java.util.function.Consumer<Problem> refused) {
		return RouterFunctions.route(RequestPredicates.POST(path), request -> handle(request, maxBodyBytes, function, refused))
				.andRoute(RequestPredicates.path(path), request -> ServerResponse.status(405)
						.allow(org.springframework.http.HttpMethod.POST).contentType(PROBLEM)
						.bodyValue(Json.MAPPER.writeValueAsBytes(Problem.of(405, "method-not-allowed", "Method not allowed",
								request.method() + " " + path + ": CloudEvents are sent with POST"))));
	}

	static Mono<ServerResponse> handle(ServerRequest request, int maxBodyBytes,
			Function<CloudEventCodec.Inbound, Mono<Outcome>> function, java.util.function.Consumer<Problem> refused) {
		HttpHeaders headers = request.headers().asHttpHeaders();
		if (headers.getContentLength() > maxBodyBytes) {
			Outcome outcome = tooLarge(maxBodyBytes);
			refused.accept(((Outcome.Rejected) outcome).problem());
			return respond(outcome);
		}
		Map<String, String> ceHeaders = new HashMap<>();
		List<String> repeated = new ArrayList<>();
		headers.forEach((name, values) -> {
			String lower = name.toLowerCase(Locale.ROOT);
			if (lower.startsWith("ce-") && !values.isEmpty()) {
				if (values.size() > 1 || ceHeaders.putIfAbsent(lower, values.get(0)) != null) {
					repeated.add(lower);
				}
			}
		});
		if (!repeated.isEmpty()) { // which value is meant is ambiguous: never pick one silently
			Outcome outcome = new Outcome.Rejected(Problem.of(400, "repeated-attribute", "Repeated CloudEvent attribute",
					"The request repeats " + repeated + ": each attribute may be sent once"));
			refused.accept(((Outcome.Rejected) outcome).problem());
			return respond(outcome);
		}
		String contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
		return body(request, maxBodyBytes)
				.map(body -> traced(request, CloudEventCodec.decode(contentType, ceHeaders, body)))
				.flatMap(function)
				.onErrorResume(CloudEventDecodingException.class, e -> {
					refused.accept(e.problem());
					return Mono.just(new Outcome.Rejected(e.problem()));
				})
				.onErrorResume(DataBufferLimitException.class, e -> {
					Outcome outcome = tooLarge(maxBodyBytes);
					refused.accept(((Outcome.Rejected) outcome).problem());
					return Mono.just(outcome);
				})
				.onErrorResume(e -> e instanceof io.netty.handler.codec.DecoderException
						|| e.getCause() instanceof io.netty.handler.codec.DecoderException, e -> {
					// the body itself was unreadable (a broken chunked encoding): the sender's fault, not ours
					Outcome outcome = new Outcome.Rejected(Problem.of(400, "unreadable-body", "Unreadable request body",
							"The request body could not be read: " + e.getMessage()));
					refused.accept(((Outcome.Rejected) outcome).problem());
					return Mono.just(outcome);
				})
				.flatMap(CloudEventRoutes::respond);
	}

	/**
	 * Names the event(s) on the request's server span (Zipkin shows them; find a trace by event id with
	 * {@code cloudevents.event_id}), when the request is observed.
	 */
	private static CloudEventCodec.Inbound traced(ServerRequest request, CloudEventCodec.Inbound inbound) {
		ServerRequestObservationContext.findCurrent(request.exchange().getAttributes()).ifPresent(span -> {
			if (inbound.events().size() == 1) {
				var headers = inbound.events().getFirst().getHeaders();
				span.addHighCardinalityKeyValue(KeyValue.of("cloudevents.event_id", String.valueOf(headers.get(CloudEventAttributes.HEADER_PREFIX + CloudEventAttributes.ID))));
				span.addHighCardinalityKeyValue(KeyValue.of("cloudevents.event_type", String.valueOf(headers.get(CloudEventAttributes.HEADER_PREFIX + CloudEventAttributes.TYPE))));
			}
			else {
				span.addHighCardinalityKeyValue(KeyValue.of("cloudevents.batch_size", Integer.toString(inbound.events().size())));
			}
		});
		return inbound;
	}

	/** The request body as bytes (empty when there is none); fails with DataBufferLimitException over the limit. */
	public static Mono<byte[]> body(ServerRequest request, int maxBodyBytes) {
		return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), maxBodyBytes)
				.map(buffer -> {
					byte[] bytes = new byte[buffer.readableByteCount()];
					buffer.read(bytes);
					DataBufferUtils.release(buffer);
					return bytes;
				})
				.defaultIfEmpty(new byte[0]);
	}

	private static Outcome tooLarge(int maxBodyBytes) {
		return new Outcome.Rejected(Problem.of(413, "too-large", "Request too large",
				"The request body exceeds " + maxBodyBytes + " bytes"));
	}

	static Mono<ServerResponse> respond(Outcome outcome) {
		return switch (outcome) {
			case Outcome.Reply reply -> ServerResponse.ok()
					.headers(h -> CloudEventCodec.replyHeaders(reply.event()).forEach(h::set))
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(CloudEventCodec.replyBody(reply.event()));
			case Outcome.BatchReply batch -> ServerResponse.ok().contentType(BATCH)
					.bodyValue(CloudEventCodec.batchBody(batch.events()));
			case Outcome.Ack ack -> ServerResponse.ok().build();
			case Outcome.Rejected rejected -> problem(rejected.problem());
			case Outcome.Unavailable unavailable -> ServerResponse.status(503).header(HttpHeaders.RETRY_AFTER, "1")
					.contentType(PROBLEM).bodyValue(Json.MAPPER.writeValueAsBytes(unavailable.problem()));
		};
	}

	/** An RFC 9457 problem as the answer ({@code application/problem+json}, its status). */
	public static Mono<ServerResponse> problem(Problem problem) {
		if (log.isDebugEnabled()) {
			log.debug("rejected " + problem.status() + " " + problem.code() + ": " + problem.detail());
		}
		return ServerResponse.status(problem.status()).contentType(PROBLEM)
				.bodyValue(Json.MAPPER.writeValueAsBytes(problem));
	}
}

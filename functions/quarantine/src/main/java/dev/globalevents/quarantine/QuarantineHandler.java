package dev.globalevents.quarantine;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.globalevents.events.Json;
import dev.globalevents.runtime.web.CloudEventRoutes;
import dev.globalevents.runtime.web.Problem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The quarantine's HTTP face. {@code POST /}: the dead-letter sink — keeps any request as it is (even when it is not
 * a valid CloudEvent) and answers 200 once stored, 503 when Redis is unreachable (the broker retries).
 * {@code GET /quarantine?limit=N}: the newest entries with the failure Knative recorded ({@code knativeerrordest},
 * {@code knativeerrorcode}, {@code knativeerrordata} decoded from base64). {@code POST /quarantine/replay}
 * {@code {"ids":[…]}} or {@code {"newest":N}}: sends them again to the broker, removing each one the broker took.
 */
final class QuarantineHandler {

	private static final Log log = LogFactory.getLog(QuarantineHandler.class);
	/** Kept besides the {@code ce-*} headers: how to read the body, and the W3C trace context it was dead-lettered in. */
	private static final Set<String> KEPT = Set.of("content-type", "traceparent", "tracestate");

	private final QuarantineStore store;
	private final Replayer replayer;
	private final int maxBodyBytes;
	private final Clock clock;
	private final QuarantineLog quarantined;
	private final QuarantineMetrics metrics;

	QuarantineHandler(QuarantineStore store, Replayer replayer, int maxBodyBytes, Clock clock, QuarantineLog quarantined,
			QuarantineMetrics metrics) {
		this.store = store;
		this.quarantined = quarantined;
		this.metrics = metrics;
		this.replayer = replayer;
		this.maxBodyBytes = maxBodyBytes;
		this.clock = clock;
	}

	RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route(RequestPredicates.POST("/"), this::keep)
				.andRoute(RequestPredicates.GET("/quarantine"), this::list)
				.andRoute(RequestPredicates.POST("/quarantine/replay"), this::replay);
	}

	private Mono<ServerResponse> keep(ServerRequest request) {
		Map<String, String> headers = new TreeMap<>();
		request.headers().asHttpHeaders().forEach((name, values) -> {
			String lower = name.toLowerCase(Locale.ROOT);
			// the trace context too: a replay then continues the trace the event was dead-lettered in
			if ((lower.startsWith("ce-") || KEPT.contains(lower)) && !values.isEmpty()) {
				headers.put(lower, values.getFirst());
			}
		});
		var sample = metrics.start();
		return CloudEventRoutes.body(request, maxBodyBytes)
				.flatMap(body -> store.keep(headers, body, clock.millis()))
				.flatMap(id -> {
					metrics.kept(sample);
					quarantined.kept(headers, id);
					return ServerResponse.ok().build();
				})
				.doOnError(e -> metrics.unavailable())
				.onErrorResume(e -> CloudEventRoutes.problem(Problem.of(503, "quarantine-unavailable",
						"Quarantine unavailable", "cannot store the request: " + e.getMessage())));
	}

	private Mono<ServerResponse> list(ServerRequest request) {
		int limit = request.queryParam("limit").map(Integer::parseInt).filter(n -> n > 0 && n <= 1000).orElse(50);
		return store.newest(limit).zipWith(store.size()).flatMap(result -> {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("size", result.getT2());
			body.put("entries", result.getT1().stream().map(QuarantineHandler::view).toList());
			return json(body);
		});
	}

	private Mono<ServerResponse> replay(ServerRequest request) {
		return request.bodyToMono(byte[].class).defaultIfEmpty("{}".getBytes())
				.map(Json.MAPPER::readTree)
				.flatMap(body -> selection(body))
				.flatMapMany(Flux::fromIterable)
				.concatMap(entry -> replayer.send(entry).map(status -> Map.entry(entry, status)))
				.collectList()
				.flatMap(results -> {
					List<String> replayed = results.stream().filter(r -> r.getValue() / 100 == 2).map(r -> r.getKey().id()).toList();
					List<Map<String, Object>> failed = new ArrayList<>();
					results.stream().filter(r -> r.getValue() / 100 != 2)
							.forEach(r -> failed.add(Map.of("id", r.getKey().id(), "status", r.getValue())));
					log.info("replayed " + replayed.size() + " quarantined request(s) to " + replayer.target() + ", " + failed.size() + " failed");
					Map<String, Object> answer = new LinkedHashMap<>();
					answer.put("target", replayer.target().toString());
					answer.put("replayed", replayed);
					answer.put("failed", failed);
					return store.remove(replayed).then(json(answer));
				})
				.onErrorResume(tools.jackson.core.JacksonException.class, e -> CloudEventRoutes.problem(Problem.of(400,
						"invalid-replay", "Invalid replay request", "the body must be {\"ids\":[...]} or {\"newest\":N}")));
	}

	private Mono<List<Quarantined>> selection(JsonNode body) {
		if (body.has("ids")) {
			List<String> ids = new ArrayList<>();
			body.get("ids").forEach(id -> ids.add(id.asString()));
			return store.get(ids);
		}
		return store.newest(body.path("newest").asInt(0) > 0 ? body.get("newest").asInt() : 100);
	}

	static Map<String, Object> view(Quarantined entry) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", entry.id());
		view.put("received_at", Instant.ofEpochMilli(entry.receivedAt()).toString());
		view.put("type", entry.headers().get("ce-type"));
		view.put("event_id", entry.headers().get("ce-id"));
		view.put("source", entry.headers().get("ce-source"));
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("destination", entry.headers().get("ce-knativeerrordest"));
		error.put("status", entry.headers().get("ce-knativeerrorcode"));
		String data = entry.headers().get("ce-knativeerrordata");
		error.put("answer", data == null ? null : decodeBase64(data));
		view.put("error", error);
		view.put("headers", entry.headers());
		String text = utf8(entry.body());
		view.put(text == null ? "body_base64" : "body", text == null ? Base64.getEncoder().encodeToString(entry.body()) : text);
		return view;
	}

	private static String decodeBase64(String data) {
		try {
			String decoded = utf8(Base64.getDecoder().decode(data));
			return decoded == null ? data : decoded;
		}
		catch (IllegalArgumentException e) {
			return data;
		}
	}

	private static String utf8(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
		}
		catch (CharacterCodingException e) {
			return null;
		}
	}

	private static Mono<ServerResponse> json(Object body) {
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(Json.MAPPER.writeValueAsBytes(body));
	}
}

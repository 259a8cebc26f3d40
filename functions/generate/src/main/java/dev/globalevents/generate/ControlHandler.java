package dev.globalevents.generate;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.globalevents.events.Json;
import dev.globalevents.runtime.web.CloudEventRoutes;
import dev.globalevents.runtime.web.Problem;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * {@code GET /chaos} shows the chaos settings, {@code PUT /chaos} merges a partial update (400 problem with
 * violations when wrong), {@code DELETE /chaos} turns every fault off; {@code GET /stats} shows what was generated,
 * sent, rejected, failed and injected.
 */
final class ControlHandler {

	private final ChaosControl chaos;
	private final GenerateStats stats;
	private final Supplier<Map<String, Object>> status;
	private final Clock clock;

	ControlHandler(ChaosControl chaos, GenerateStats stats, Supplier<Map<String, Object>> status, Clock clock) {
		this.chaos = chaos;
		this.stats = stats;
		this.status = status;
		this.clock = clock;
	}

	RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route(RequestPredicates.GET("/chaos"), request -> json(chaos.get()))
				.andRoute(RequestPredicates.PUT("/chaos").or(RequestPredicates.PATCH("/chaos")), this::update)
				.andRoute(RequestPredicates.DELETE("/chaos"), request -> json(chaos.reset()))
				.andRoute(RequestPredicates.GET("/stats"), request -> {
					Map<String, Object> body = new LinkedHashMap<>(status.get());
					body.putAll(stats.snapshot());
					return json(body);
				});
	}

	private Mono<ServerResponse> update(ServerRequest request) {
		return request.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
				.map(body -> chaos.update(body.length == 0 ? null : Json.MAPPER.readTree(body), clock.instant()))
				.flatMap(this::json)
				.onErrorResume(ChaosControl.Invalid.class, e -> problem(new Problem("urn:globalevents:problem:invalid-chaos",
						"Invalid chaos settings", 400, e.violations().getFirst().message(), e.violations())))
				.onErrorResume(JacksonException.class, e -> problem(Problem.of(400, "invalid-chaos", "Invalid chaos settings",
						"the body is not JSON: " + e.getOriginalMessage())));
	}

	private Mono<ServerResponse> json(Object body) {
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(Json.MAPPER.writeValueAsBytes(body));
	}

	private static Mono<ServerResponse> problem(Problem problem) {
		return CloudEventRoutes.problem(problem);
	}
}

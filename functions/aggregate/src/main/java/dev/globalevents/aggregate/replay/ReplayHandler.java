package dev.globalevents.aggregate.replay;

import dev.globalevents.runtime.web.RejectedInput;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.globalevents.events.Json;
import dev.globalevents.runtime.web.CloudEventRoutes;
import dev.globalevents.runtime.web.Problem;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * The replay API. {@code POST /replays} with {@code {"from","to","region"?,"type"?}} starts one (202 with its
 * status and a Location); {@code GET /replays/{id}} shows its progress (scanned of total, matched, sent);
 * {@code DELETE /replays/{id}} cancels it; {@code GET /replays} lists recent ones. A running replay whose instance
 * stopped reporting for {@code abandonedAfter} shows as {@code abandoned} (run it again: replays are idempotent).
 */
public final class ReplayHandler {

	private final Replays replays;
	private final ReplayJobs jobs;
	private final Duration abandonedAfter;
	private final Clock clock;

	public ReplayHandler(Replays replays, ReplayJobs jobs, Duration abandonedAfter, Clock clock) {
		this.replays = replays;
		this.jobs = jobs;
		this.abandonedAfter = abandonedAfter;
		this.clock = clock;
	}

	public RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route(RequestPredicates.POST("/replays"), this::start)
				.andRoute(RequestPredicates.GET("/replays"), request -> jobs.recent(20)
						.map(list -> list.stream().map(this::view).toList())
						.flatMap(list -> json(HttpStatus.OK, Map.of("replays", list))))
				.andRoute(RequestPredicates.GET("/replays/{id}"), request -> jobs.get(request.pathVariable("id"))
						.flatMap(fields -> json(HttpStatus.OK, view(fields)))
						.switchIfEmpty(notFound(request.pathVariable("id"))))
				.andRoute(RequestPredicates.DELETE("/replays/{id}"), this::cancel);
	}

	private Mono<ServerResponse> start(ServerRequest request) {
		return request.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
				.map(body -> ReplayRequest.parse(body.length == 0 ? null : Json.MAPPER.readTree(body)))
				.flatMap(replays::start)
				.flatMap(fields -> ServerResponse.accepted().location(java.net.URI.create("/replays/" + fields.get("id")))
						.contentType(MediaType.APPLICATION_JSON).bodyValue(Json.MAPPER.writeValueAsBytes(view(fields))))
				.onErrorResume(RejectedInput.class, e -> problem(e.problem()))
				.onErrorResume(JacksonException.class, e -> problem(Problem.of(400, "invalid-replay",
						"Invalid replay request", "the body is not JSON: " + e.getOriginalMessage())));
	}

	private Mono<ServerResponse> cancel(ServerRequest request) {
		String id = request.pathVariable("id");
		return jobs.cancel(id).flatMap(requested -> jobs.get(id).flatMap(fields -> requested
				? json(HttpStatus.ACCEPTED, view(fields))
				: problem(Problem.of(409, "replay-not-running", "Replay not running",
						"replay " + id + " is " + view(fields).get("state") + "; only a running replay can be cancelled"))))
				.switchIfEmpty(notFound(id));
	}

	public Map<String, Object> view(Map<String, String> fields) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", fields.get("id"));
		String state = fields.get("state");
		long updated = number(fields, "updated_at");
		if ("running".equals(state) && clock.millis() - updated > abandonedAfter.toMillis()) {
			state = "abandoned";
		}
		view.put("state", "running".equals(state) && "1".equals(fields.get("cancel")) ? "cancelling" : state);
		Map<String, Object> request = new LinkedHashMap<>();
		for (String field : List.of("from", "to", "region", "type")) {
			String value = fields.getOrDefault(field, "");
			request.put(field, value.isEmpty() ? null : value);
		}
		view.put("request", request);
		long total = number(fields, "total");
		long scanned = number(fields, "scanned");
		view.put("total", total);
		view.put("scanned", scanned);
		view.put("matched", number(fields, "matched"));
		view.put("sent", number(fields, "sent"));
		view.put("progress", total == 0 ? ("done".equals(state) ? 1.0 : 0.0) : Math.min(1.0, (double) scanned / total));
		view.put("started_at", time(fields, "started_at"));
		view.put("updated_at", time(fields, "updated_at"));
		view.put("finished_at", time(fields, "finished_at"));
		view.put("error", fields.get("error"));
		return view;
	}

	private static long number(Map<String, String> fields, String name) {
		return Long.parseLong(fields.getOrDefault(name, "0"));
	}

	private static String time(Map<String, String> fields, String name) {
		return fields.containsKey(name) ? Instant.ofEpochMilli(number(fields, name)).toString() : null;
	}

	private static Mono<ServerResponse> json(HttpStatus status, Object body) {
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(Json.MAPPER.writeValueAsBytes(body));
	}

	private static Mono<ServerResponse> notFound(String id) {
		return problem(Problem.of(404, "replay-not-found", "No such replay", "no replay " + id + " (replays are kept 24 h)"));
	}

	private static Mono<ServerResponse> problem(Problem problem) {
		return CloudEventRoutes.problem(problem);
	}
}

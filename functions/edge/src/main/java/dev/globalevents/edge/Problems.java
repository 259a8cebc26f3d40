package dev.globalevents.edge;

import dev.globalevents.events.Json;
import dev.globalevents.runtime.web.Problem;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** problem+json answers of the edge and the relay. */
final class Problems {

	static final MediaType PROBLEM = MediaType.parseMediaType(Problem.MEDIA_TYPE);

	private Problems() {
	}

	static Mono<ServerResponse> response(Problem problem) {
		return ServerResponse.status(problem.status()).contentType(PROBLEM).bodyValue(bytes(problem));
	}

	static Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, Problem problem) {
		var response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(PROBLEM);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes(problem))));
	}

	private static byte[] bytes(Problem problem) {
		return Json.MAPPER.writeValueAsBytes(problem);
	}
}

package dev.globalevents.runtime.web;

import java.util.function.DoubleSupplier;

import dev.globalevents.events.Json;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A deliberate fault, for release drills (a canary that should be rolled back, docs/release.md): a share of the POSTs
 * to the function's routes ({@code function.faults.error-ratio}, env {@code FAULT_ERROR_RATIO}; 0 by default: off)
 * is answered 500 with a problem saying so, before the function sees the event. Probes and scrapes are never
 * touched. A sender retries a 500 (the broker does), so the drill loses nothing.
 */
public final class InjectedFaults implements WebFilter {

	private final double errorRatio;
	private final DoubleSupplier random;

	public InjectedFaults(double errorRatio, DoubleSupplier random) {
		if (!(errorRatio >= 0 && errorRatio <= 1)) {
			throw new IllegalArgumentException("function.faults.error-ratio is a share between 0 and 1, not " + errorRatio);
		}
		this.errorRatio = errorRatio;
		this.random = random;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (errorRatio == 0 || exchange.getRequest().getMethod() != HttpMethod.POST
				|| exchange.getRequest().getPath().value().startsWith("/actuator") || random.getAsDouble() >= errorRatio) {
			return chain.filter(exchange);
		}
		Problem problem = Problem.of(500, "injected-fault", "A fault injected on purpose",
				"function.faults.error-ratio=" + errorRatio + ": this share of requests fails deliberately (FAULT_ERROR_RATIO)");
		byte[] body = Json.MAPPER.writeValueAsBytes(problem);
		var response = exchange.getResponse();
		response.setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR);
		response.getHeaders().setContentType(MediaType.parseMediaType(Problem.MEDIA_TYPE));
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	public double errorRatio() {
		return errorRatio;
	}
}

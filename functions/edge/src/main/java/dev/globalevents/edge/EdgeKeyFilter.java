package dev.globalevents.edge;

import dev.globalevents.runtime.web.Problem;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Lets a request through only with the edge credential; the health path alone is open (the global load balancer's
 * liveness test). Anything refused is answered 401 as problem+json and goes nowhere.
 */
final class EdgeKeyFilter implements WebFilter {

	static final String HEALTH = "/healthz";

	private final EdgeCredential credential;

	EdgeKeyFilter(EdgeCredential credential) {
		this.credential = credential;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (exchange.getRequest().getPath().value().equals(HEALTH)) {
			return chain.filter(exchange);
		}
		String presented = exchange.getRequest().getHeaders().getFirst(EdgeCredential.HEADER);
		if (credential.matches(presented)) {
			return chain.filter(exchange);
		}
		Problem problem = presented == null
				? Problem.of(401, "unauthenticated", "Edge credential required", "this entry serves the gateway only; send x-edge-key")
				: Problem.of(401, "unauthenticated", "Edge credential not accepted", "the x-edge-key presented is not this region's");
		return Problems.write(exchange, HttpStatus.UNAUTHORIZED, problem);
	}
}

package dev.globalevents.runtime.web;

import dev.globalevents.events.Json;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Every error the web layer raises outside the functions' own answers — no such path (404), wrong method (405),
 * unsupported media type (415), Redis timed out or away (503 with Retry-After), anything unexpected (500, the cause
 * logged, not sent) — answered as
 * {@code application/problem+json}, before Spring Boot's JSON error page.
 */
@Order(-2)
final class ProblemExceptionHandler implements WebExceptionHandler {

	private static final Log log = LogFactory.getLog(ProblemExceptionHandler.class);

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(error);
		}
		Problem problem;
		if (error instanceof ResponseStatusException status) {
			HttpStatusCode code = status.getStatusCode();
			problem = Problem.of(code.value(), code.value() == 404 ? "not-found" : code.value() == 405 ? "method-not-allowed" : "http-" + code.value(),
					status.getReason() == null ? "HTTP " + code.value() : status.getReason(),
					exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value() + ": "
							+ (status.getReason() == null ? "refused" : status.getReason()));
			if (error instanceof MethodNotAllowedException notAllowed && !notAllowed.getSupportedMethods().isEmpty()) {
				exchange.getResponse().getHeaders().setAllow(notAllowed.getSupportedMethods());
			}
		}
		else if (error instanceof io.lettuce.core.RedisException) {
			// the function's Redis timed out or is away: a moment's unavailability, not a fault of the request
			log.warn("Redis unavailable answering " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath() + ": " + error.getMessage());
			problem = Problem.of(503, "redis-unavailable", "Store unavailable", "The function's Redis did not answer in time (" + error.getMessage()
					+ "); try again");
			exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
		}
		else {
			log.error("unexpected error answering " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath(), error);
			problem = Problem.of(500, "internal-error", "Internal error", "An unexpected error occurred; it was logged");
		}
		byte[] body = Json.MAPPER.writeValueAsBytes(problem);
		exchange.getResponse().setStatusCode(HttpStatusCode.valueOf(problem.status()));
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.setContentType(MediaType.parseMediaType(Problem.MEDIA_TYPE));
		headers.setContentLength(body.length);
		return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
	}
}

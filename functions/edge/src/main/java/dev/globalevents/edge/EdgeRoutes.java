package dev.globalevents.edge;

import java.net.URI;

import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.DELETE;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The paths a region serves to the gateway, and nothing else: events (and peers' summaries) to the broker ingress,
 * the region's views and replays to aggregate under the same path and query. Every other path is a 404.
 */
final class EdgeRoutes {

	private final Upstream upstream;
	private final URI broker;
	private final URI aggregate;

	EdgeRoutes(Upstream upstream, URI broker, URI aggregate) {
		this.upstream = upstream;
		this.broker = broker;
		this.aggregate = aggregate;
	}

	RouterFunction<ServerResponse> routes() {
		return route(POST("/events"), request -> upstream.forward(request, broker, headers -> { }))
				.andRoute(GET("/windows").or(GET("/global")).or(POST("/replays")).or(GET("/replays/{id}")).or(DELETE("/replays/{id}")),
						request -> upstream.forward(request, samePath(aggregate, request), headers -> { }));
	}

	/** The base URL with the request's own path and query (as sent, still encoded). */
	static URI samePath(URI base, ServerRequest request) {
		String query = request.uri().getRawQuery();
		return URI.create(base.toString().replaceAll("/+$", "") + request.uri().getRawPath() + (query == null ? "" : "?" + query));
	}
}

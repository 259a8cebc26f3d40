package dev.globalevents.edge;

import java.net.URI;

import dev.globalevents.events.Regions;
import dev.globalevents.runtime.web.Problem;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The sync relay: a sync Trigger delivers this region's closed-window summary here (path
 * {@code /v1/regions/<peer>/sync}), and the relay posts it to the gateway's route of the same path with this region's
 * sync credential, which a Trigger cannot add itself. The gateway's answer goes back to the broker, so its retries
 * and dead letters work as for any subscriber.
 */
final class RelayRoutes {

	private final Upstream upstream;
	private final URI gateway;
	private final String syncKey;
	private final String region;

	RelayRoutes(Upstream upstream, URI gateway, String syncKey, String region) {
		this.upstream = upstream;
		this.gateway = gateway;
		this.syncKey = syncKey;
		this.region = region;
	}

	RouterFunction<ServerResponse> routes() {
		return route(POST("/v1/regions/{peer}/sync"), request -> {
			String peer = request.pathVariable("peer");
			if (!Regions.all().contains(peer) || peer.equals(region)) {
				return Problems.response(Problem.of(404, "unknown-peer", "No such peer region",
						peer + " is not a peer of " + region + "; peers are " + Regions.all().stream().filter(r -> !r.equals(region)).toList()));
			}
			return upstream.forward(request, EdgeRoutes.samePath(gateway, request),
					headers -> headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + syncKey));
		});
	}
}

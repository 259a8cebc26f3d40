package dev.globalevents.edge;

import java.time.Duration;

import dev.globalevents.runtime.FunctionProperties;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * Wiring only. One image, two roles: {@code edge} (the region's one public entry: the gateway's credential checked,
 * then events to the broker and reads to aggregate) and {@code relay} (cluster-local: the sync Triggers' summaries to
 * the gateway with this region's sync credential). A role serves its own paths and {@code /healthz}, nothing else.
 */
@SpringBootApplication
@EnableConfigurationProperties(EdgeProperties.class)
public class EdgeApplication {

	private static final Log log = LogFactory.getLog(EdgeApplication.class);

	public static void main(String[] args) {
		SpringApplication.run(EdgeApplication.class, args);
	}

	@Bean
	Upstream upstream(EdgeProperties edge, FunctionProperties function, ObjectProvider<ObservationRegistry> observations) {
		// Reactor Netty's pooled keep-alive connections; observed, so each forward is a client span of the request's
		// trace and carries its traceparent on
		// an idle connection is dropped before the next hop's keep-alive ends (the JDK server's 30 s, Knative's longer):
		// a request sent on a connection the server is closing that moment is lost in flight and answered 502
		ConnectionProvider pool = ConnectionProvider.builder("edge-upstream").maxIdleTime(Duration.ofSeconds(20))
				.evictInBackground(Duration.ofSeconds(10)).build();
		return new Upstream(WebClient.builder().clientConnector(new ReactorClientHttpConnector(HttpClient.create(pool)))
				.observationRegistry(observations.getIfAvailable(() -> ObservationRegistry.NOOP)).build(),
				edge.timeout(), function.maxBatchBytes());
	}

	@Bean
	RouterFunction<ServerResponse> routes(Upstream upstream, EdgeProperties edge, FunctionProperties function, ApplicationAvailability availability) {
		RouterFunction<ServerResponse> health = route(GET(EdgeKeyFilter.HEALTH), request -> {
			boolean ready = availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
			return ServerResponse.status(ready ? 200 : 503).contentType(MediaType.APPLICATION_JSON)
					.bodyValue("{\"status\":\"" + (ready ? "UP" : "DOWN") + "\",\"region\":\"" + function.region() + "\"}");
		});
		if (edge.role() == EdgeProperties.Role.EDGE) {
			log.info("edge of " + function.region() + ": POST /events to " + edge.brokerIngress() + ", reads and replays to " + edge.aggregate()
					+ "; every path but " + EdgeKeyFilter.HEALTH + " needs " + EdgeCredential.HEADER);
			return new EdgeRoutes(upstream, edge.brokerIngress(), edge.aggregate()).routes().and(health);
		}
		log.info("sync relay of " + function.region() + ": POST /v1/regions/<peer>/sync to " + edge.gateway() + " with this region's sync key");
		return new RelayRoutes(upstream, edge.gateway(), edge.syncKey(), function.region()).routes().and(health);
	}

	/** The key check of the edge role; the relay role passes everything (decided at start, also with Spring AOT). */
	@Bean
	WebFilter edgeKeyFilter(EdgeProperties edge) {
		return edge.role() == EdgeProperties.Role.EDGE ? new EdgeKeyFilter(new EdgeCredential(edge.key()))
				: (exchange, chain) -> chain.filter(exchange);
	}
}

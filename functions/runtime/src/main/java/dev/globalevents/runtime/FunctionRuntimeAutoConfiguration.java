package dev.globalevents.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.runtime.redis.RedisHealthIndicator;
import dev.globalevents.runtime.reporting.MeterReading;
import dev.globalevents.runtime.reporting.MetricsReporter;
import dev.globalevents.runtime.reporting.QueueDepth;
import dev.globalevents.runtime.reporting.ReportingProperties;
import dev.globalevents.runtime.web.CloudEventEndpoint;
import dev.globalevents.runtime.web.CloudEventRoutes;
import dev.globalevents.runtime.web.HttpCloudEventSender;
import dev.globalevents.runtime.web.InjectedFaults;
import dev.globalevents.runtime.web.TraceHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * What every function gets without declaring it: its typed environment ({@link FunctionProperties}), its Redis
 * connection and health (when {@code REDIS_URL} is set), its sink ({@code K_SINK}), its self-report (when it
 * declares a {@link MeterReading}, with its {@link QueueDepth} if it has one) and the HTTP routes of the
 * {@link CloudEventEndpoint}s it declares. A function module declares its function(s), endpoints and properties.
 */
@AutoConfiguration
@EnableConfigurationProperties({ FunctionProperties.class, ReportingProperties.class })
public class FunctionRuntimeAutoConfiguration {

	private static final Log log = LogFactory.getLog(FunctionRuntimeAutoConfiguration.class);

	/**
	 * Defined when {@code function.redis.url} is set; with Spring AOT that is decided when the function is built (a
	 * function that keeps state sets {@code aot.redis.url} in its pom), and the address is the one set at start.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnExpression("!'${function.redis.url:}'.isBlank()")
	RedisConnection redisConnection(FunctionProperties function, ObjectProvider<ObservationRegistry> observations) {
		if (function.redis().url() == null || function.redis().url().isBlank()) {
			throw new IllegalStateException("this function keeps its state in Redis: set REDIS_URL (function.redis.url)");
		}
		return new RedisConnection(function.redis().url(), function.redis().timeout(),
				observations.getIfAvailable(() -> ObservationRegistry.NOOP), "redis");
	}

	@Bean
	@ConditionalOnBean(RedisConnection.class)
	HealthIndicator redis(RedisConnection redis) {
		return new RedisHealthIndicator(redis);
	}

	@Bean
	FunctionSink functionSink(FunctionProperties function, @Value("${spring.application.name:function}") String service,
			TraceHeaders trace) {
		if (!function.hasSink()) {
			log.info("no sink (K_SINK unset): " + service + " sends no CloudEvents of its own");
			return new FunctionSink(Optional.empty());
		}
		log.info(service + " sends its CloudEvents to " + function.sink());
		return new FunctionSink(Optional.of(new HttpCloudEventSender(function.sink(), function.ceOverrides(), Duration.ofSeconds(5), trace)));
	}

	/**
	 * A deliberate share of 500s (FAULT_ERROR_RATIO, release drills); off (passes everything) unless set. Always
	 * defined, so the share is decided at start, also with Spring AOT.
	 */
	@Bean
	InjectedFaults injectedFaults(@Value("${function.faults.error-ratio:0}") double errorRatio,
			@Value("${spring.application.name:function}") String service) {
		if (errorRatio > 0) {
			log.warn(service + " fails " + errorRatio + " of its requests on purpose (function.faults.error-ratio, FAULT_ERROR_RATIO)");
		}
		return new InjectedFaults(errorRatio, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
	}

	/** The current trace context as headers, for the JDK HttpClient senders (none without a tracer). */
	@Bean
	TraceHeaders traceHeaders(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		Tracer current = tracer.getIfAvailable();
		Propagator writer = propagator.getIfAvailable();
		return current == null || writer == null ? TraceHeaders.NONE : TraceHeaders.of(current, writer);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnBean(MeterReading.class)
	MetricsReporter metricsReporter(MeterRegistry registry, MeterReading reading, ObjectProvider<QueueDepth> queueDepth,
			FunctionProperties function, FunctionSink sink, ReportingProperties reporting,
			@Value("${spring.application.name:function}") String service) {
		return MetricsReporter.forFunction(registry, reading, queueDepth.getIfAvailable(), function.region(), function.instance(), service,
				reporting, sink.sender());
	}

	@Bean
	@ConditionalOnBean(CloudEventEndpoint.class)
	RouterFunction<ServerResponse> cloudEventEndpoints(List<CloudEventEndpoint> endpoints, FunctionProperties function) {
		RouterFunction<ServerResponse> routes = null;
		for (CloudEventEndpoint endpoint : endpoints) {
			int limit = endpoint.maxBodyBytes() > 0 ? endpoint.maxBodyBytes()
					: endpoint.maxBodyBytes() < 0 ? function.maxBatchBytes() : function.maxEventBytes();
			RouterFunction<ServerResponse> route = CloudEventRoutes.route(endpoint.path(), limit, endpoint.function(), endpoint.refused());
			routes = routes == null ? route : routes.and(route);
		}
		return routes;
	}
}

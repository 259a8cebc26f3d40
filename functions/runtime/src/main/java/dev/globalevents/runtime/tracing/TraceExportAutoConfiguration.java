package dev.globalevents.runtime.tracing;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Where a function's spans go, decided when it starts from the properties Spring Boot's own exporters read: OTLP/HTTP
 * when {@code management.opentelemetry.tracing.export.otlp.endpoint} is set (deployed: the region's collector),
 * Zipkin when {@code management.tracing.export.zipkin.enabled} is true (locally), both or neither. It replaces Boot's
 * Zipkin and OTLP exporter auto-configurations (excluded in function-defaults.properties): their conditions would be
 * fixed at build time by Spring AOT, so a function built once could not export locally and in a cluster.
 */
@AutoConfiguration
public class TraceExportAutoConfiguration {

	static final String OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";
	static final String ZIPKIN_ENABLED = "management.tracing.export.zipkin.enabled";
	static final String ZIPKIN_ENDPOINT = "management.tracing.export.zipkin.endpoint";
	private static final Log log = LogFactory.getLog(TraceExportAutoConfiguration.class);

	// no destroy method: Boot's span processor (BatchSpanProcessor over every SpanExporter bean) shuts this exporter
	// down, after its last flush, when the tracer provider closes; a second shutdown would only log a warning
	@Bean(destroyMethod = "")
	SpanExporter traceExport(Environment environment) {
		List<SpanExporter> exporters = new ArrayList<>();
		String otlp = environment.getProperty(OTLP_ENDPOINT, "");
		if (!otlp.isBlank()) {
			exporters.add(OtlpHttpSpanExporter.builder().setEndpoint(otlp).build());
			log.info("spans are exported over OTLP/HTTP to " + otlp);
		}
		if (environment.getProperty(ZIPKIN_ENABLED, Boolean.class, false)) {
			URI zipkin = URI.create(environment.getProperty(ZIPKIN_ENDPOINT, "http://localhost:9411/api/v2/spans"));
			exporters.add(ZipkinSpanExporter.builder().setSender(new ZipkinHttpSender(zipkin, Duration.ofSeconds(10))).build());
			log.info("spans are exported to Zipkin at " + zipkin);
		}
		if (exporters.isEmpty()) {
			log.info("spans are not exported (no " + OTLP_ENDPOINT + ", " + ZIPKIN_ENABLED + " not true): trace context is propagated and logged");
		}
		return SpanExporter.composite(exporters);
	}
}

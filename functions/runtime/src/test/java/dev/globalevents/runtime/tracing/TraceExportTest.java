package dev.globalevents.runtime.tracing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Where spans go is decided from the properties at start: a span reaches a loopback Zipkin or OTLP endpoint, or nothing. */
class TraceExportTest {

	private record Received(String path, String contentType, String body) {
	}

	private final List<Received> received = new CopyOnWriteArrayList<>();
	private final HttpServer collector = collector();

	@AfterEach
	void stop() {
		collector.stop(0);
	}

	@Test
	void spansGoToZipkinWhenItIsEnabled() {
		export(Map.of(TraceExportAutoConfiguration.ZIPKIN_ENABLED, "true", TraceExportAutoConfiguration.ZIPKIN_ENDPOINT, url("/api/v2/spans")));

		await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
		assertThat(received).singleElement().satisfies(request -> {
			assertThat(request.path()).isEqualTo("/api/v2/spans");
			assertThat(request.contentType()).isEqualTo("application/json");
			assertThat(request.body()).contains("\"name\":\"checkout\"").contains("\"serviceName\":\"trace-export-test\"");
		});
	}

	@Test
	void spansGoOverOtlpWhenAnEndpointIsSet() {
		export(Map.of(TraceExportAutoConfiguration.OTLP_ENDPOINT, url("/v1/traces")));

		await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
		assertThat(received).singleElement().satisfies(request -> {
			assertThat(request.path()).isEqualTo("/v1/traces");
			assertThat(request.contentType()).isEqualTo("application/x-protobuf");
			assertThat(request.body()).contains("checkout");
		});
	}

	@Test
	void withoutEitherNothingIsSent() {
		export(Map.of(TraceExportAutoConfiguration.ZIPKIN_ENABLED, "false", TraceExportAutoConfiguration.ZIPKIN_ENDPOINT, url("/api/v2/spans")));

		assertThat(received).isEmpty(); // the span was ended and flushed before this line
	}

	private void export(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		SpanExporter exporter = new TraceExportAutoConfiguration().traceExport(environment);
		try (SdkTracerProvider tracing = SdkTracerProvider.builder()
				.setResource(io.opentelemetry.sdk.resources.Resource.builder().put("service.name", "trace-export-test").build())
				.addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
			tracing.get("test").spanBuilder("checkout").startSpan().end();
			tracing.forceFlush().join(10, TimeUnit.SECONDS);
		}
	}

	private String url(String path) {
		return "http://127.0.0.1:" + collector.getAddress().getPort() + path;
	}

	private HttpServer collector() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", exchange -> {
				received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Content-Type"),
						new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1)));
				exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/v1/traces") ? 200 : 202, -1);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}
}

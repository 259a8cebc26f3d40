package dev.globalevents.runtime.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * The trace context of the work in progress as HTTP headers ({@code traceparent}, {@code tracestate}), for the
 * clients that are not observed by Spring (the JDK's HttpClient): an event a function sends on is then part of the
 * trace of the request that made it. Empty when nothing is traced.
 */
@FunctionalInterface
public interface TraceHeaders {

	TraceHeaders NONE = Map::of;

	Map<String, String> current();

	/** The current span of {@code tracer}, written by {@code propagator} (W3C trace context). */
	static TraceHeaders of(Tracer tracer, Propagator propagator) {
		return () -> {
			Span span = tracer.currentSpan();
			if (span == null) {
				return Map.of();
			}
			Map<String, String> headers = new LinkedHashMap<>();
			propagator.inject(span.context(), headers, Map::put);
			return headers;
		};
	}
}

package dev.globalevents.local.broker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The broker's spans, named as the Knative brokers name theirs ({@code broker:<name>.<namespace>} at the ingress,
 * {@code trigger:<name>.<namespace>} per delivery), reported to Zipkin in its v2 JSON format ({@code POST
 * /api/v2/spans}) in batches from a background thread, so tracing never slows a delivery down. A trace started here
 * (an event sent without {@code traceparent}) is sampled with {@code sampleRate}; one that arrives keeps its decision.
 * Without an endpoint nothing is reported, but the context is still propagated.
 */
final class Tracer implements AutoCloseable {

	static final Tracer NONE = new Tracer(null, "broker", 0);

	private static final System.Logger log = System.getLogger("broker");
	private static final ObjectMapper JSON = new ObjectMapper();
	private static final int MAX_QUEUED = 20_000;

	private final URI endpoint;
	private final String service;
	private final double sampleRate;
	private final ConcurrentLinkedQueue<Map<String, Object>> finished = new ConcurrentLinkedQueue<>();
	private final AtomicInteger queued = new AtomicInteger();
	private final AtomicLong dropped = new AtomicLong();
	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
	private final Thread reporter;
	private volatile boolean closed;

	Tracer(URI endpoint, String service, double sampleRate) {
		this.endpoint = endpoint;
		this.service = service;
		this.sampleRate = sampleRate;
		this.reporter = endpoint == null ? null : Thread.ofPlatform().daemon().name("zipkin-reporter").start(this::report);
		if (endpoint != null) {
			log.log(System.Logger.Level.INFO, "spans of " + service + " go to Zipkin at " + endpoint + " (traces started here sampled at " + sampleRate + ")");
		}
	}

	/** A span under {@code parent} (null: a new trace); {@link Span#context()} is what the next hop gets. */
	Span start(String name, String kind, TraceContext parent) {
		TraceContext context = parent == null ? TraceContext.root(ThreadLocalRandom.current().nextDouble() < sampleRate) : parent.child();
		return new Span(name, kind, context, parent == null ? null : parent.spanId());
	}

	final class Span {

		private final String name;
		private final String kind;
		private final TraceContext context;
		private final String parentId;
		private final long startMicros = System.currentTimeMillis() * 1000;
		private final long startNanos = System.nanoTime();
		private final Map<String, String> tags = new LinkedHashMap<>();
		private String remote;
		/** How a delivery ended, for its {@code outcome} tag. */
		volatile String outcome = "delivered";

		private Span(String name, String kind, TraceContext context, String parentId) {
			this.name = name;
			this.kind = kind;
			this.context = context;
			this.parentId = parentId;
		}

		TraceContext context() {
			return context;
		}

		Span tag(String key, Object value) {
			synchronized (tags) {
				tags.put(key, String.valueOf(value));
			}
			return this;
		}

		/** The service on the other side of a client span (Zipkin draws the dependency). */
		Span remote(String serviceName) {
			this.remote = serviceName;
			return this;
		}

		void finish() {
			if (endpoint == null || !context.sampled() || closed) {
				return;
			}
			if (queued.incrementAndGet() > MAX_QUEUED) { // Zipkin away: drop spans, never grow without bound
				queued.decrementAndGet();
				dropped.incrementAndGet();
				return;
			}
			Map<String, Object> span = new LinkedHashMap<>();
			span.put("traceId", context.traceId());
			span.put("id", context.spanId());
			if (parentId != null) {
				span.put("parentId", parentId);
			}
			span.put("name", name);
			span.put("kind", kind);
			span.put("timestamp", startMicros);
			span.put("duration", Math.max(1, (System.nanoTime() - startNanos) / 1000));
			span.put("localEndpoint", Map.of("serviceName", service));
			if (remote != null) {
				span.put("remoteEndpoint", Map.of("serviceName", remote));
			}
			synchronized (tags) {
				span.put("tags", new LinkedHashMap<>(tags));
			}
			finished.add(span);
		}
	}

	private void report() {
		while (!closed) {
			try {
				Thread.sleep(500); // a batch every half second: few requests to Zipkin, spans visible at once
			}
			catch (InterruptedException e) {
				return;
			}
			flush();
		}
	}

	private void flush() {
		List<Map<String, Object>> batch = new ArrayList<>();
		for (Map<String, Object> span; batch.size() < 1_000 && (span = finished.poll()) != null; ) {
			batch.add(span);
		}
		if (batch.isEmpty()) {
			return;
		}
		queued.addAndGet(-batch.size());
		try {
			HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5))
					.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(batch)))
					.build(), HttpResponse.BodyHandlers.discarding());
			if (answer.statusCode() / 100 != 2) {
				dropped.addAndGet(batch.size());
				log.log(System.Logger.Level.WARNING, "Zipkin at " + endpoint + " answered " + answer.statusCode() + "; " + batch.size() + " span(s) dropped");
			}
		}
		catch (Exception e) {
			dropped.addAndGet(batch.size());
			if (e instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Spans not reported (Zipkin away or too slow). */
	long dropped() {
		return dropped.get();
	}

	@Override
	public void close() {
		if (reporter != null) {
			flush();
			closed = true;
			reporter.interrupt();
		}
	}
}

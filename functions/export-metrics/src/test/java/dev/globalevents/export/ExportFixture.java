package dev.globalevents.export;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Json;
import dev.globalevents.runtime.web.CloudEventCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** The export function wired like the app around a given sink, and metrics CloudEvents like the functions send. */
final class ExportFixture implements AutoCloseable {

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();
	final ExportMetrics metrics = new ExportMetrics(registry);
	final AtomicInteger batches = new AtomicInteger();
	final Batcher batcher;
	final ExportFunction function;

	final RowSink sink;

	ExportFixture(java.util.function.Function<ExportMetrics, RowSink> sink, int batchSize, Duration batchWait) {
		this(sink, null, batchSize, batchWait);
	}

	ExportFixture(java.util.function.Function<ExportMetrics, RowSink> sink, Spill spill, int batchSize, Duration batchWait) {
		RowSink real = sink.apply(metrics);
		RowSink counting = new RowSink() {
			@Override
			public Mono<Void> write(List<ObjectNode> rows) {
				batches.incrementAndGet();
				return real.write(rows);
			}

			@Override
			public String describe() {
				return real.describe();
			}
		};
		this.sink = counting;
		batcher = new Batcher(counting, spill, metrics, batchSize, batchWait);
		function = new ExportFunction(batcher);
	}

	static HttpDelivery delivery(ExportMetrics metrics, int retries) {
		return new HttpDelivery(retries, Duration.ofMillis(20), Duration.ofMillis(200), metrics);
	}

	static ObjectNode sample(String id, String region, long events) {
		ObjectNode envelope = Json.MAPPER.createObjectNode().put("specversion", "1.0").put("id", id)
				.put("source", "/validate/" + region + "/pod-1").put("type", CloudEventTypes.METRICS_SAMPLE);
		envelope.set("data", Json.MAPPER.readTree("""
				{"timestamp":"2026-06-01T00:00:10.250Z","region":"%s",
				 "metrics":{"event_count":%d,"processing_time":1.25,"error_rate":0.5,"queue_depth":3,"memory_usage":123456789.0,"cpu_usage":0.25},
				 "tags":{"environment":"test","service":"validate","version":"0.1.0"}}""".formatted(region, events)));
		return envelope;
	}

	static ObjectNode window(String id) {
		ObjectNode envelope = Json.MAPPER.createObjectNode().put("specversion", "1.0").put("id", id)
				.put("source", "/aggregate/ap-south").put("type", CloudEventTypes.METRICS_WINDOW);
		envelope.set("data", Json.MAPPER.readTree("""
				{"timestamp":"2026-06-01T00:00:00Z","region":"ap-south",
				 "metrics":{"event_count":42,"processing_time":12.5,"error_rate":0.02,"queue_depth":0,"memory_usage":2.5e8,"cpu_usage":0.1},
				 "tags":{"environment":"test","service":"aggregate","version":"0.1.0"},
				 "window":{"start":"2026-06-01T00:00:00Z","end":"2026-06-01T00:00:10Z"},
				 "latency":{"p50":9.51,"p95":22.63,"p99":38.05}}"""));
		return envelope;
	}

	/**
	 * {@link #window} with its 42 events (2 errors) broken down into two event types: order.created (40 events, no
	 * errors) and payment.processed (2 events, both errors; listed first, so no order is assumed).
	 */
	static ObjectNode windowWithTypes(String id) {
		ObjectNode envelope = window(id);
		ObjectNode data = (ObjectNode) envelope.get("data");
		((ObjectNode) data.get("metrics")).put("error_rate", 2 / 42.0);
		data.set("types", Json.MAPPER.readTree("""
				[{"event_type":"payment.processed","event_count":2,"error_rate":1.0,"processing_time":30.0,
				  "latency":{"p50":22.63,"p95":38.05,"p99":38.05}},
				 {"event_type":"order.created","event_count":40,"error_rate":0.0,"processing_time":11.6,
				  "latency":{"p50":9.51,"p95":19.03,"p99":26.91}}]"""));
		return envelope;
	}

	static CloudEventCodec.Inbound single(ObjectNode envelope) {
		return CloudEventCodec.decode(CloudEventCodec.STRUCTURED, java.util.Map.of(), Json.MAPPER.writeValueAsBytes(envelope));
	}

	static CloudEventCodec.Inbound batch(List<ObjectNode> envelopes) {
		return CloudEventCodec.decode(CloudEventCodec.BATCH, java.util.Map.of(), Json.MAPPER.writeValueAsBytes(envelopes));
	}

	@Override
	public void close() {
		batcher.close();
	}
}

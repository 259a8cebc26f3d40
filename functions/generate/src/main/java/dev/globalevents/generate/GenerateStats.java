package dev.globalevents.generate;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the generator did, for reconciliation with what the pipeline reports: events generated, events acknowledged
 * (2xx), rejected (4xx, by status), failed (no 2xx after retries), retries, every injected fault by kind, and the
 * send latency per request. Exposed on {@code /stats} and as Prometheus meters {@code generate_events_total{outcome}},
 * {@code generate_chaos_total{kind}}, {@code generate_retries_total}, {@code generate_send_seconds}.
 */
final class GenerateStats {

	private final MeterRegistry registry;
	private final LongAdder generated = new LongAdder();
	private final LongAdder acknowledged = new LongAdder();
	private final LongAdder failed = new LongAdder();
	private final LongAdder retries = new LongAdder();
	private final LongAdder requests = new LongAdder();
	private final Map<Integer, LongAdder> rejected = new ConcurrentHashMap<>();
	private final Map<String, LongAdder> chaos = new ConcurrentHashMap<>();
	private final LatencyRecorder latencies = new LatencyRecorder();
	private final Timer sendTimer;
	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	GenerateStats(MeterRegistry registry) {
		this.registry = registry;
		this.sendTimer = Timer.builder("generate.send").description("time from first attempt to final answer, per request")
				.register(registry);
	}

	void generated() {
		generated.increment();
	}

	void chaos(String kind) {
		chaos.computeIfAbsent(kind, k -> new LongAdder()).increment();
		counter("generate.chaos", "kind", kind).increment();
	}

	void retried() {
		retries.increment();
		counter("generate.retries", null, null).increment();
	}

	/** A request's final answer: a status, or -1 when none came after all retries. */
	void answered(int status, int events, long nanos) {
		requests.increment();
		latencies.record(nanos);
		sendTimer.record(java.time.Duration.ofNanos(nanos));
		String outcome;
		if (status / 100 == 2) {
			acknowledged.add(events);
			outcome = "acknowledged";
		}
		else if (status >= 400 && status < 500 && status != 429) {
			rejected.computeIfAbsent(status, s -> new LongAdder()).add(events);
			outcome = "rejected";
		}
		else {
			failed.add(events);
			outcome = "failed";
		}
		counter("generate.events", "outcome", outcome).increment(events);
	}

	/** Meters are looked up once per name and tag (this is on the sending path). */
	private Counter counter(String name, String tag, String value) {
		return counters.computeIfAbsent(name + "|" + value, key -> {
			Counter.Builder builder = Counter.builder(name);
			return (tag == null ? builder : builder.tag(tag, value)).register(registry);
		});
	}

	long generatedCount() {
		return generated.sum();
	}

	long acknowledgedCount() {
		return acknowledged.sum();
	}

	long errorCount() {
		return failed.sum() + rejected.values().stream().mapToLong(LongAdder::sum).sum();
	}

	long requestCount() {
		return requests.sum();
	}

	long chaosCount(String kind) {
		LongAdder adder = chaos.get(kind);
		return adder == null ? 0 : adder.sum();
	}

	LatencyRecorder latencies() {
		return latencies;
	}

	/** A JSON-ready snapshot. */
	Map<String, Object> snapshot() {
		Map<String, Object> snapshot = new java.util.LinkedHashMap<>();
		snapshot.put("generated", generated.sum());
		snapshot.put("requests", requests.sum());
		snapshot.put("acknowledged", acknowledged.sum());
		Map<String, Long> byStatus = new TreeMap<>();
		rejected.forEach((status, n) -> byStatus.put(Integer.toString(status), n.sum()));
		snapshot.put("rejected", byStatus);
		snapshot.put("failed", failed.sum());
		snapshot.put("retries", retries.sum());
		Map<String, Long> faults = new TreeMap<>();
		chaos.forEach((kind, n) -> faults.put(kind, n.sum()));
		snapshot.put("chaos", faults);
		snapshot.put("send_latency_ms", latencies.summary());
		return snapshot;
	}
}

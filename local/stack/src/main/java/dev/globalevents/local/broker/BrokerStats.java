package dev.globalevents.local.broker;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The broker's counters ({@code GET /stats}): at the ingress, events accepted (stored, 202), refused (not a
 * CloudEvent, 400) and not stored (503); per Trigger, events delivered (2xx), retried, dead-lettered, dropped (failed
 * with no dead-letter sink, or TTL exhausted), replies appended, filtered out, in flight, and lag (records in the
 * topic its consumer group has not committed). {@code GET /metrics} has the same for Prometheus.
 */
public final class BrokerStats {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** The content type of {@link #prometheus}: Prometheus' text exposition format. */
	static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

	private final AtomicLong accepted = new AtomicLong();
	private final AtomicLong refused = new AtomicLong();
	private final AtomicLong appendFailed = new AtomicLong();
	private final Map<String, Trigger> triggers = new ConcurrentHashMap<>();

	/** One Trigger's counters. */
	public static final class Trigger {

		final AtomicLong delivered = new AtomicLong();
		final AtomicLong retried = new AtomicLong();
		final AtomicLong deadLettered = new AtomicLong();
		final AtomicLong dropped = new AtomicLong();
		final AtomicLong replies = new AtomicLong();
		final AtomicLong replyRetried = new AtomicLong();
		final AtomicLong filtered = new AtomicLong();
		/** Replies still to lose (a fault an operator injects, {@code POST /faults/lose-replies}), and those lost. */
		final AtomicLong repliesToLose = new AtomicLong();
		final AtomicLong repliesLost = new AtomicLong();
		volatile LongSupplier inFlight = () -> 0;
		volatile LongSupplier lag = () -> 0;

		Map<String, Long> snapshot() {
			Map<String, Long> values = new LinkedHashMap<>();
			values.put("delivered", delivered.get());
			values.put("retried", retried.get());
			values.put("dead_lettered", deadLettered.get());
			values.put("dropped", dropped.get());
			values.put("replies", replies.get());
			values.put("reply_retried", replyRetried.get());
			values.put("filtered", filtered.get());
			values.put("replies_lost", repliesLost.get());
			values.put("in_flight", inFlight.getAsLong());
			values.put("lag", lag.getAsLong());
			return values;
		}
	}

	Trigger trigger(String name) {
		return triggers.computeIfAbsent(name, n -> new Trigger());
	}

	void accepted() {
		accepted.incrementAndGet();
	}

	void refused() {
		refused.incrementAndGet();
	}

	void appendFailed() {
		appendFailed.incrementAndGet();
	}

	public Map<String, Object> snapshot() {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("accepted", accepted.get());
		values.put("refused", refused.get());
		values.put("not_stored", appendFailed.get());
		Map<String, Object> perTrigger = new LinkedHashMap<>();
		new java.util.TreeMap<>(triggers).forEach((name, t) -> perTrigger.put(name, t.snapshot()));
		values.put("triggers", perTrigger);
		return values;
	}

	/** A Trigger's counter by its JSON name (delivered, retried, …), for tests and the stack's checks. */
	public long get(String trigger, String counter) {
		return trigger(trigger).snapshot().get(counter);
	}

	byte[] json() {
		try {
			return JSON.writeValueAsBytes(snapshot());
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	/**
	 * The same counters for Prometheus ({@code GET /metrics}), labelled with the broker's namespace and name and, per
	 * Trigger, its name. The region is not the broker's to know: the scrape adds it. A record ends for a Trigger in
	 * exactly one of delivered, dead_lettered, dropped or filtered, so {@code broker_trigger_events_total} sums
	 * over {@code result}; retries and replies are counted apart because they are not outcomes of a record.
	 */
	byte[] prometheus(String namespace, String broker) {
		String base = "namespace=\"" + escape(namespace) + "\",broker=\"" + escape(broker) + "\"";
		Map<String, Trigger> sorted = new TreeMap<>(triggers);
		StringBuilder out = new StringBuilder();
		family(out, "broker_events_total", "counter", "Events at the ingress by result: accepted (stored, 202), refused (not a CloudEvent, 400), not_stored (503)");
		sample(out, "broker_events_total", base + ",result=\"accepted\"", accepted.get());
		sample(out, "broker_events_total", base + ",result=\"refused\"", refused.get());
		sample(out, "broker_events_total", base + ",result=\"not_stored\"", appendFailed.get());
		family(out, "broker_trigger_events_total", "counter", "Records done with per Trigger by how they ended");
		sorted.forEach((name, t) -> {
			String labels = base + ",trigger=\"" + escape(name) + "\"";
			sample(out, "broker_trigger_events_total", labels + ",result=\"delivered\"", t.delivered.get());
			sample(out, "broker_trigger_events_total", labels + ",result=\"dead_lettered\"", t.deadLettered.get());
			sample(out, "broker_trigger_events_total", labels + ",result=\"dropped\"", t.dropped.get());
			sample(out, "broker_trigger_events_total", labels + ",result=\"filtered\"", t.filtered.get());
		});
		perTrigger(out, sorted, base, "broker_trigger_retries_total", "counter", "Delivery attempts retried per Trigger", t -> t.retried.get());
		perTrigger(out, sorted, base, "broker_trigger_replies_total", "counter", "Replies appended to the topic per Trigger", t -> t.replies.get());
		perTrigger(out, sorted, base, "broker_trigger_reply_retries_total", "counter",
				"Reply appends tried again per Trigger (Kafka did not take the reply; the subscriber is not asked again)", t -> t.replyRetried.get());
		perTrigger(out, sorted, base, "broker_trigger_in_flight", "gauge", "Records being delivered per Trigger", t -> t.inFlight.getAsLong());
		perTrigger(out, sorted, base, "broker_trigger_lag", "gauge", "Records in the topic the Trigger's consumer group has not committed",
				t -> t.lag.getAsLong());
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static void perTrigger(StringBuilder out, Map<String, Trigger> triggers, String base, String name, String type, String help,
			ToLongFunction<Trigger> value) {
		family(out, name, type, help);
		triggers.forEach((trigger, t) -> sample(out, name, base + ",trigger=\"" + escape(trigger) + "\"", value.applyAsLong(t)));
	}

	private static void family(StringBuilder out, String name, String type, String help) {
		out.append("# HELP ").append(name).append(' ').append(help).append('\n');
		out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
	}

	private static void sample(StringBuilder out, String name, String labels, long value) {
		out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
	}

	/** A label value as the text format needs it: backslash, double quote and newline escaped. */
	private static String escape(String value) {
		return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
	}
}

package dev.globalevents.local.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The broker's counters ({@code GET /stats}): at the ingress, events accepted (stored, 202), refused (not a
 * CloudEvent, 400) and not stored (503); per Trigger, events delivered (2xx), retried, dead-lettered, dropped (failed
 * with no dead-letter sink, or TTL exhausted), replies appended, filtered out, in flight, and lag (records in the
 * topic its consumer group has not committed).
 */
public final class BrokerStats {

	private static final ObjectMapper JSON = new ObjectMapper();

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
		final AtomicLong filtered = new AtomicLong();
		volatile LongSupplier inFlight = () -> 0;
		volatile LongSupplier lag = () -> 0;

		Map<String, Long> snapshot() {
			Map<String, Long> values = new LinkedHashMap<>();
			values.put("delivered", delivered.get());
			values.put("retried", retried.get());
			values.put("dead_lettered", deadLettered.get());
			values.put("dropped", dropped.get());
			values.put("replies", replies.get());
			values.put("filtered", filtered.get());
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
}

package dev.globalevents.local.broker;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C trace context ({@code traceparent: 00-<trace id>-<span id>-<flags>}), as the Kafka broker's data plane reads
 * it from a request or a record's headers and writes it on: the trace id stays, each hop's span gets its own id, the
 * caller's sampling decision is kept.
 */
record TraceContext(String traceId, String spanId, boolean sampled) {

	static final String HEADER = "traceparent";
	private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
	private static final String INVALID_TRACE = "0".repeat(32);
	private static final String INVALID_SPAN = "0".repeat(16);

	/** The context a {@code traceparent} value names, or null when it is missing or malformed (then a new trace starts). */
	static TraceContext parse(String traceparent) {
		if (traceparent == null) {
			return null;
		}
		var matcher = TRACEPARENT.matcher(traceparent.trim());
		if (!matcher.matches() || matcher.group(1).equals(INVALID_TRACE) || matcher.group(2).equals(INVALID_SPAN)) {
			return null;
		}
		return new TraceContext(matcher.group(1), matcher.group(2), (Integer.parseInt(matcher.group(3), 16) & 1) == 1);
	}

	/** A new trace, sampled as decided by the caller. */
	static TraceContext root(boolean sampled) {
		return new TraceContext(randomHex(16), randomHex(8), sampled);
	}

	/** A span of the same trace under this one, with the same sampling decision. */
	TraceContext child() {
		return new TraceContext(traceId, randomHex(8), sampled);
	}

	String traceparent() {
		return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
	}

	private static String randomHex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		random[0] |= 1; // never all zeros (invalid in W3C trace context)
		return HexFormat.of().formatHex(random);
	}
}

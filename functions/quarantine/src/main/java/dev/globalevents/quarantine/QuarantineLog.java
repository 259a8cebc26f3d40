package dev.globalevents.quarantine;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.MDC;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * What the quarantine tells its log: each request it keeps at debug (with its event id in the MDC, so the JSON line
 * carries {@code eventId} and the trace), and one summary line per interval at info, counted by event type, so a
 * flood of bad events is one line every ten seconds, not one line each.
 */
final class QuarantineLog implements AutoCloseable {

	private static final Log log = LogFactory.getLog(QuarantineLog.class);

	private final Map<String, Long> sinceLastLine = new TreeMap<>();
	private final Duration interval;
	private final Disposable ticks;

	QuarantineLog(Duration interval) {
		this.interval = interval;
		this.ticks = Flux.interval(interval, interval).subscribe(tick -> summary());
	}

	void kept(Map<String, String> headers, String id) {
		String type = headers.getOrDefault("ce-type", "(no type)");
		synchronized (sinceLastLine) {
			sinceLastLine.merge(type, 1L, Long::sum);
		}
		if (log.isDebugEnabled()) {
			try (MDC.MDCCloseable eventId = MDC.putCloseable("eventId", headers.getOrDefault("ce-id", ""))) {
				log.debug("quarantined " + type + " " + headers.getOrDefault("ce-id", "") + " after " + headers.getOrDefault("ce-knativeerrordest", "?")
						+ " answered " + headers.getOrDefault("ce-knativeerrorcode", "?") + " as " + id);
			}
		}
	}

	private void summary() {
		Map<String, Long> counts;
		synchronized (sinceLastLine) {
			if (sinceLastLine.isEmpty()) {
				return;
			}
			counts = new TreeMap<>(sinceLastLine);
			sinceLastLine.clear();
		}
		long total = counts.values().stream().mapToLong(Long::longValue).sum();
		log.info("quarantined " + total + " request(s) in the last " + interval.toSeconds() + " s, by type: " + counts);
	}

	@Override
	public void close() {
		ticks.dispose();
		summary();
	}
}

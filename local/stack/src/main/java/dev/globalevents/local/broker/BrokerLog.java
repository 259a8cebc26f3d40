package dev.globalevents.local.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One line per interval about what the broker did, instead of a line per event: how many events the ingress took
 * and, per Trigger, how many it delivered, retried, retried storing a reply, dead-lettered and dropped since the last line. Nothing is
 * written for an interval without news. Each event is in its trace (Zipkin) and at debug level.
 */
final class BrokerLog implements AutoCloseable {

	private static final System.Logger log = System.getLogger("broker");
	private static final List<String> TRIGGER_COUNTERS = List.of("delivered", "retried", "reply_retried", "dead_lettered", "dropped");

	private final BrokerStats stats;
	private final Duration interval;
	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("broker-log").factory());
	private Map<String, Long> last = new HashMap<>();

	BrokerLog(BrokerStats stats, Duration interval) {
		this.stats = stats;
		this.interval = interval;
		timer.scheduleAtFixedRate(this::line, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@SuppressWarnings("unchecked")
	private synchronized void line() {
		Map<String, Object> snapshot = stats.snapshot();
		Map<String, Long> now = new HashMap<>();
		List<String> parts = new ArrayList<>();
		for (String counter : List.of("accepted", "refused", "not_stored")) {
			now.put(counter, (Long) snapshot.get(counter));
			delta(parts, counter, now, "");
		}
		((Map<String, Map<String, Long>>) snapshot.get("triggers")).forEach((trigger, counters) -> {
			List<String> mine = new ArrayList<>();
			for (String counter : TRIGGER_COUNTERS) {
				now.put(trigger + "/" + counter, counters.get(counter));
				delta(mine, counter, now, trigger + "/");
			}
			if (!mine.isEmpty()) {
				parts.add(trigger + " " + String.join(" ", mine));
			}
		});
		last = now;
		if (!parts.isEmpty()) {
			log.log(System.Logger.Level.INFO, "last " + interval.toSeconds() + " s: " + String.join("; ", parts));
		}
	}

	private void delta(List<String> parts, String counter, Map<String, Long> now, String prefix) {
		long change = now.get(prefix + counter) - last.getOrDefault(prefix + counter, 0L);
		if (change != 0) {
			parts.add(counter.replace('_', '-') + " +" + change);
		}
	}

	@Override
	public void close() {
		timer.shutdownNow();
		line();
	}
}

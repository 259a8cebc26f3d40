package dev.globalevents.grafana;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The rows a healthy pipeline of three regions writes to the metrics table over {@code span} up to {@code now}: per
 * region a window every 10 s with its per-event-type rows (emitted 35 s after its end, as aggregate closes windows 30 s after their end), and a
 * sample every 10 s from each instance of generate, validate (two instances, the second started 20 minutes before
 * now: a cold start), aggregate, export-metrics and quarantine. Figures depend only on the time before now, so the
 * same pipeline at another {@code now} writes the same figures. {@link #change} bends it into a breach.
 */
final class SimulatedPipeline {

	static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-south");
	/** Events/s each region takes. */
	static final Map<String, Double> RATE = Map.of("us-east", 20.0, "eu-west", 15.0, "ap-south", 12.0);
	static final List<String> SERVICES = List.of("generate", "validate", "aggregate", "export-metrics", "quarantine");
	/** A window is emitted this long after its end. */
	static final Duration CLOSE_DELAY = Duration.ofSeconds(35);
	static final Duration SECOND_VALIDATE_STARTS = Duration.ofMinutes(20);

	private final Instant now;
	private final Duration span;
	private final List<Change> changes = new ArrayList<>();

	private record Change(String region, Instant since, Predicate<MetricsRow> rows, Consumer<MetricsRow> change, boolean drop) {
	}

	SimulatedPipeline(Instant now, Duration span) {
		this.now = now;
		this.span = span;
	}

	Instant now() {
		return now;
	}

	/** From {@code lastFor} before now on, in {@code region}, the rows that match are changed. */
	SimulatedPipeline change(String region, Duration lastFor, Predicate<MetricsRow> rows, Consumer<MetricsRow> change) {
		changes.add(new Change(region, now.minus(lastFor), rows, change, false));
		return this;
	}

	/** From {@code lastFor} before now on, in {@code region}, the rows that match never reach the table. */
	SimulatedPipeline drop(String region, Duration lastFor, Predicate<MetricsRow> rows) {
		changes.add(new Change(region, now.minus(lastFor), rows, row -> {
		}, true));
		return this;
	}

	List<MetricsRow> rows() {
		List<MetricsRow> rows = new ArrayList<>();
		for (String region : REGIONS) {
			windows(region, rows);
			for (int s = 0; s < SERVICES.size(); s++) {
				String service = SERVICES.get(s);
				samples(region, service, service + "-00001-deployment-" + region + "-a", now.minus(span), s, rows);
				if (service.equals("validate")) {
					samples(region, service, service + "-00001-deployment-" + region + "-b", now.minus(SECOND_VALIDATE_STARTS), 5, rows);
				}
			}
		}
		List<MetricsRow> written = new ArrayList<>();
		rows: for (MetricsRow row : rows) {
			for (Change change : changes) {
				if (row.region.equals(change.region()) && !row.timestamp.isBefore(change.since()) && change.rows().test(row)) {
					if (change.drop()) {
						continue rows;
					}
					change.change().accept(row);
				}
			}
			written.add(row);
		}
		return written;
	}

	private void windows(String region, List<MetricsRow> into) {
		double rate = RATE.get(region);
		Instant start = Instant.ofEpochSecond(Math.ceilDiv(now.minus(span).getEpochSecond(), 10) * 10);
		for (Instant s = start; !s.plusSeconds(10).plus(CLOSE_DELAY).isAfter(now); s = s.plusSeconds(10)) {
			long before = now.getEpochSecond() - s.getEpochSecond();
			MetricsRow window = MetricsRow.window(s, s.plusSeconds(10).plus(CLOSE_DELAY), region);
			window.eventCount = Math.round(rate * 10 * (1 + 0.1 * Math.sin(before / 120.0)));
			window.errorRate = 0.002;
			window.processingTime = 8 + 2 * Math.sin(before / 90.0);
			window.latencyP50 = 40.0;
			window.latencyP95 = 90.0;
			window.latencyP99 = 150.0;
			window.queueDepth = (before / 10) % 4;
			window.memoryUsage = 2.5e8;
			window.cpuUsage = 0.15;
			into.add(window);
			long orders = Math.round(window.eventCount * 0.6); // per-type rows beside the total: a query that forgets event_type = '' counts twice
			into.add(window.type("order.created", orders));
			into.add(window.type("payment.processed", window.eventCount - orders));
		}
	}

	private void samples(String region, String service, String instance, Instant first, int offsetSeconds, List<MetricsRow> into) {
		double rate = RATE.get(region);
		long sequence = 0;
		List<MetricsRow> samples = new ArrayList<>();
		for (Instant at = now.minusSeconds(offsetSeconds); !at.isBefore(first); at = at.minusSeconds(10)) {
			long before = now.getEpochSecond() - at.getEpochSecond();
			boolean twoValidates = !at.isBefore(now.minus(SECOND_VALIDATE_STARTS));
			MetricsRow sample = MetricsRow.sample(at, region, service, instance, ++sequence);
			sample.memoryUsage = 3e8 + 1e6 * SERVICES.indexOf(service);
			sample.cpuUsage = 0.1 + 0.02 * SERVICES.indexOf(service);
			switch (service) {
				case "generate" -> {
					sample.eventCount = Math.round(rate * 10);
					sample.processingTime = 2;
				}
				case "validate" -> {
					sample.eventCount = Math.round(rate * 10 / (twoValidates ? 2 : 1));
					sample.processingTime = 3;
					sample.errorRate = 0.001;
				}
				case "aggregate" -> {
					sample.eventCount = Math.round(rate * 10);
					sample.processingTime = 4;
					sample.queueDepth = (before / 10) % 4;
				}
				case "export-metrics" -> {
					sample.eventCount = 7;
					sample.processingTime = 15;
				}
				case "quarantine" -> { // one dead letter every 100 s: about 0.1% of the events
					sample.eventCount = (before / 10) % 10 == 0 ? 1 : 0;
					sample.queueDepth = 100 + (span.toSeconds() - before) / 100;
					sample.processingTime = 1;
				}
				default -> throw new IllegalArgumentException(service);
			}
			samples.add(sample);
		}
		into.addAll(samples.reversed());
	}
}

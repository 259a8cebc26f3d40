package dev.globalevents.generate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.globalevents.events.Violation;

/**
 * What the generator does wrong on purpose. Shares are probabilities per generated event (0 to 1); every injected
 * fault is counted (see {@link GenerateStats}), so what was sent can be reconciled with what the pipeline reports.
 *
 * @param latencyMs       added before each request, ms
 * @param latencyJitterMs plus a uniform random 0..jitter, ms
 * @param errorShare      events turned into errors (the type's {@code error} field set, for example a failed payment)
 * @param malformedShare  events sent malformed, of one of {@code malformedKinds}: {@code broken_json} (data cut
 *                        short), {@code missing_field} (a required payload field left out), {@code wrong_type} (a
 *                        payload field of the wrong JSON type)
 * @param malformedKinds  which malformations to use, chosen uniformly; all when empty
 * @param duplicateShare  events sent twice with the same id
 * @param outOfOrderShare events whose time is moved back by 1 to {@code outOfOrderMaxS} s
 * @param outOfOrderMaxS  see above (default 20)
 * @param lateShare       events whose time is moved back by {@code lateByS} s (past aggregate's allowed lateness)
 * @param lateByS         see above (default 120)
 * @param clockSkewS      every event's time is moved by this many seconds (positive: ahead of the clock)
 * @param burstFactor     the rate is multiplied by this until {@code burstUntil}
 * @param burstUntil      ISO 8601 instant, or null
 * @param blackoutUntil   the region sends nothing until this ISO 8601 instant (events it would have sent are counted)
 */
public record ChaosSettings(
		@JsonProperty("latency_ms") long latencyMs,
		@JsonProperty("latency_jitter_ms") long latencyJitterMs,
		@JsonProperty("error_share") double errorShare,
		@JsonProperty("malformed_share") double malformedShare,
		@JsonProperty("malformed_kinds") List<String> malformedKinds,
		@JsonProperty("duplicate_share") double duplicateShare,
		@JsonProperty("out_of_order_share") double outOfOrderShare,
		@JsonProperty("out_of_order_max_s") long outOfOrderMaxS,
		@JsonProperty("late_share") double lateShare,
		@JsonProperty("late_by_s") long lateByS,
		@JsonProperty("clock_skew_s") long clockSkewS,
		@JsonProperty("burst_factor") double burstFactor,
		@JsonProperty("burst_until") String burstUntil,
		@JsonProperty("blackout_until") String blackoutUntil) {

	public static final List<String> MALFORMATIONS = List.of("broken_json", "missing_field", "wrong_type");

	public static final ChaosSettings NONE = new ChaosSettings(0, 0, 0, 0, null, 0, 0, 0, 0, 0, 0, 1, null, null);

	public ChaosSettings {
		malformedKinds = malformedKinds == null || malformedKinds.isEmpty() ? MALFORMATIONS : List.copyOf(malformedKinds);
		outOfOrderMaxS = outOfOrderMaxS <= 0 ? 20 : outOfOrderMaxS;
		lateByS = lateByS <= 0 ? 120 : lateByS;
		burstFactor = burstFactor <= 0 ? 1 : burstFactor;
	}

	/** What is wrong with these settings (empty when they are usable). */
	List<Violation> violations() {
		List<Violation> violations = new ArrayList<>();
		share(violations, "error_share", errorShare);
		share(violations, "malformed_share", malformedShare);
		share(violations, "duplicate_share", duplicateShare);
		share(violations, "out_of_order_share", outOfOrderShare);
		share(violations, "late_share", lateShare);
		if (latencyMs < 0 || latencyJitterMs < 0) {
			violations.add(new Violation("/latency_ms", "chaos.range", "latency must not be negative"));
		}
		if (burstFactor > 100) {
			violations.add(new Violation("/burst_factor", "chaos.range", "burst_factor is at most 100"));
		}
		malformedKinds.stream().filter(kind -> !MALFORMATIONS.contains(kind)).forEach(kind -> violations.add(
				new Violation("/malformed_kinds", "chaos.kind", "unknown malformation " + kind + "; known: " + MALFORMATIONS)));
		for (String[] time : new String[][] { { "burst_until", burstUntil }, { "blackout_until", blackoutUntil } }) {
			if (time[1] != null) {
				try {
					Instant.parse(time[1]);
				}
				catch (RuntimeException e) {
					violations.add(new Violation("/" + time[0], "chaos.time", time[0] + " is not an ISO 8601 instant"));
				}
			}
		}
		return violations;
	}

	private static void share(List<Violation> violations, String name, double value) {
		if (!(value >= 0 && value <= 1)) {
			violations.add(new Violation("/" + name, "chaos.share", name + " must be between 0 and 1, not " + value));
		}
	}

	boolean blackoutAt(Instant now) {
		return blackoutUntil != null && now.isBefore(Instant.parse(blackoutUntil));
	}

	double rateFactorAt(Instant now) {
		return burstUntil != null && now.isBefore(Instant.parse(burstUntil)) ? burstFactor : 1;
	}
}

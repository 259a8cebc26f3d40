package dev.globalevents.bench;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ratios and targets: sustained rate against validate alone, p99 at 1,000 ev/s, the gateway's added latency. */
record Report(String label, double validateAlone, List<StepResult> results, Map<String, Double> max) {

	void print() {
		E2eBench.say("%s: summary", label);
		max.forEach((path, rate) -> {
			if (validateAlone > 0) {
				E2eBench.say("  %-7s kept up with %.0f ev/s = %.2f × validate alone (%.0f req/s in the same run; target >= 0.30)",
						path, rate, rate / validateAlone, validateAlone);
			}
			else {
				E2eBench.say("  %-7s kept up with %.0f ev/s", path, rate);
			}
		});
		for (String path : List.of("direct", "gateway")) {
			find(path, 1000).ifPresent(r -> E2eBench.say("  %-7s at 1,000 ev/s: e2e p99 %.0f ms (target <= 50 ms), aggregate's own p99 %.1f ms",
					path, r.e2eP99(), r.aggregateE2eP99()));
		}
		for (StepResult direct : results) {
			if (direct.path().equals("direct")) {
				find("gateway", direct.asked()).ifPresent(gateway -> E2eBench.say(
						"  gateway overhead at %5.0f ev/s: e2e p50 %+.1f ms, 2xx p50 %+.1f ms (target <= 5 ms)%s",
						direct.asked(), gateway.e2eP50() - direct.e2eP50(), gateway.ackP50() - direct.ackP50(),
						gateway.sustained() && direct.sustained() ? "" : gateway.sustained() ? "; direct not kept up"
								: "; the gateway path did not keep up: this is its queue"));
			}
		}
	}

	private Optional<StepResult> find(String path, double rate) {
		return results.stream().filter(r -> r.path().equals(path) && r.asked() == rate).findFirst();
	}
}

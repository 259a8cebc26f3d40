package dev.globalevents.canary;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.globalevents.canary.Decision.Verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every branch of the decision, and its edges: thresholds are inclusive, stable without data counts as perfect. */
class CanaryJudgeTest {

	/** At most 1 point more 5xx, at most 1.5 times the p99, at least 100 canary requests. */
	static final Thresholds THRESHOLDS = new Thresholds(0.01, 1.5, 100);

	static Stream<Arguments> cases() {
		return Stream.of(
				arguments("as good as stable", m(10_000, 50, 0.080), m(1_000, 5, 0.080), THRESHOLDS, Verdict.PASS, "5xx 0.50 %"),
				arguments("no errors on either side", m(10_000, 0, 0.080), m(1_000, 0, 0.070), THRESHOLDS, Verdict.PASS, "x0.88"),
				arguments("20 % errors", m(10_000, 50, 0.080), m(1_000, 200, 0.080), THRESHOLDS, Verdict.ROLLBACK, "5xx 20.00 % (stable 0.50 %)"),
				arguments("errors exactly at the threshold", m(10_000, 100, 0.080), m(1_000, 20, 0.080), THRESHOLDS, Verdict.PASS, "5xx 2.00 %"),
				arguments("errors just over the threshold", m(10_000, 100, 0.080), m(1_000, 21, 0.080), THRESHOLDS, Verdict.ROLLBACK,
						"1.10 points higher, more than the 1.00 allowed"),
				arguments("fewer errors than stable", m(10_000, 500, 0.080), m(1_000, 0, 0.080), THRESHOLDS, Verdict.PASS, "(stable 5.00 %)"),
				arguments("both failing alike: not the canary's doing", m(10_000, 2_000, 0.080), m(1_000, 205, 0.080), THRESHOLDS, Verdict.PASS,
						"5xx 20.50 %"),
				arguments("stable without requests counts as 0 % errors", m(0, 0, Double.NaN), m(1_000, 11, 0.080), THRESHOLDS, Verdict.ROLLBACK,
						"(stable 0.00 %)"),
				arguments("p99 three times stable's", m(10_000, 0, 0.080), m(1_000, 0, 0.240), THRESHOLDS, Verdict.ROLLBACK, "x3.00"),
				arguments("p99 exactly at the ratio", m(10_000, 0, 0.080), m(1_000, 0, 0.120), THRESHOLDS, Verdict.PASS, "x1.50"),
				arguments("errors are judged before latency", m(10_000, 0, 0.080), m(1_000, 500, 0.900), THRESHOLDS, Verdict.ROLLBACK, "5xx 50.00 %"),
				arguments("too few canary requests", m(10_000, 0, 0.080), m(99, 99, 0.080), THRESHOLDS, Verdict.HOLD, "fewer than the 100"),
				arguments("just enough canary requests", m(10_000, 0, 0.080), m(100, 0, 0.080), THRESHOLDS, Verdict.PASS, "x1.00"),
				arguments("no canary latency", m(10_000, 0, 0.080), m(1_000, 0, Double.NaN), THRESHOLDS, Verdict.HOLD, "no p99 latency"),
				arguments("no stable latency: not compared", m(10, 0, Double.NaN), m(1_000, 0, 5.0), THRESHOLDS, Verdict.PASS, "stable has none"),
				arguments("latency check off", m(10_000, 0, 0.080), m(1_000, 0, 9.0), new Thresholds(0.01, 0, 100), Verdict.PASS, "latency not checked"),
				arguments("nothing to judge and none needed", m(10_000, 0, 0.080), m(0, 0, Double.NaN), new Thresholds(0.01, 1.5, 0), Verdict.PASS,
						"no requests"),
				arguments("zero tolerance for errors", m(10_000, 0, 0.080), m(1_000, 1, 0.080), new Thresholds(0, 1.5, 100), Verdict.ROLLBACK,
						"0.10 points higher"));
	}

	@ParameterizedTest(name = "{0}: {4}")
	@MethodSource("cases")
	void decides(String description, RevisionMetrics stable, RevisionMetrics canary, Thresholds thresholds, Verdict verdict, String reason) {
		Decision decision = CanaryJudge.decide(stable, canary, thresholds);

		assertThat(decision.verdict()).as(decision.reason()).isEqualTo(verdict);
		assertThat(decision.reason()).contains(reason);
	}

	static RevisionMetrics m(double requests, double errors, double p99) {
		return new RevisionMetrics(requests, errors, p99);
	}
}
